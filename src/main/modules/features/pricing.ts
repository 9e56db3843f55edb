import type { ContainerModule } from 'inversify';
import { pricingHandlers } from '../../../adapters/http/handlers/pricing-handlers.js';
import { GetQuote } from '../../../application/pricing/get-quote.js';
import { ListClassPriceHistory } from '../../../application/pricing/list-class-price-history.js';
import { ListVehicleClasses } from '../../../application/pricing/list-vehicle-classes.js';
import { SetClassPrice } from '../../../application/pricing/set-class-price.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { featureModule } from '../feature-module.js';

/** Vehicle classes, their prices over time and the public quote. */
export const pricingFeature = (): ContainerModule =>
  featureModule((b) => {
    b.factory(GetQuote, (g) => new GetQuote(g(UnitOfWork), g(Clock)));
    b.factory(ListVehicleClasses, (g) => new ListVehicleClasses(g(UnitOfWork), g(Clock)));
    b.factory(SetClassPrice, (g) => new SetClassPrice(g(UnitOfWork), g(IdGenerator), g(Clock)));
    b.factory(ListClassPriceHistory, (g) => new ListClassPriceHistory(g(UnitOfWork)));
    b.handlers((g) =>
      pricingHandlers({
        getQuote: g(GetQuote),
        listClassPriceHistory: g(ListClassPriceHistory),
        listVehicleClasses: g(ListVehicleClasses),
        setClassPrice: g(SetClassPrice),
      }),
    );
  });
