import type { GetQuote } from '../../../application/pricing/get-quote.js';
import type { ListClassPriceHistory } from '../../../application/pricing/list-class-price-history.js';
import type { ListVehicleClasses } from '../../../application/pricing/list-vehicle-classes.js';
import type { SetClassPrice } from '../../../application/pricing/set-class-price.js';
import type { VehicleClass } from '../../../domain/customer/vehicle-class.js';
import { actorOf } from '../auth.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

type Q = Record<string, unknown>;
const page = (q: Q) => ({ page: q.page as number | undefined, pageSize: q.pageSize as number | undefined });

/** The use cases these handlers call. */
export interface PricingUseCases {
  getQuote: GetQuote;
  listClassPriceHistory: ListClassPriceHistory;
  listVehicleClasses: ListVehicleClasses;
  setClassPrice: SetClassPrice;
}

/** Vehicle classes and their prices: the public quote, the class list and the admin price history. */
export function pricingHandlers(uc: PricingUseCases): OperationHandlers {
  return {
    getQuote: async (_req, res) => {
      res.json(await uc.getQuote.execute((validOf(res).query as Q).vehicleClass as VehicleClass));
    },
    listVehicleClasses: async (_req, res) => {
      res.json({ items: await uc.listVehicleClasses.execute() });
    },
    setVehicleClassPrice: async (_req, res) => {
      const b = validOf(res).body as {
        vehicleClass: VehicleClass;
        priceIdr: number;
        effectiveFrom?: string;
        note?: string | null;
      };
      const price = await uc.setClassPrice.execute(actorOf(res), {
        vehicleClass: b.vehicleClass,
        priceIdr: b.priceIdr,
        effectiveFrom: b.effectiveFrom === undefined ? undefined : new Date(b.effectiveFrom),
        note: b.note ?? null,
      });
      res.status(201).json(price);
    },
    listVehicleClassPrices: async (_req, res) => {
      const q = validOf(res).query as Q;
      res.json(
        await uc.listClassPriceHistory.execute({ vehicleClass: q.vehicleClass as VehicleClass | undefined }, page(q)),
      );
    },
  };
}
