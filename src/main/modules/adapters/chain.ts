import { PlutsNftMinter } from '../../../adapters/cardano/plu-ts-minter.js';
import type { Logger } from '../../../adapters/observability/logger.js';
import { withBreaker } from '../../../adapters/resilience/breaker.js';
import type { DependencyHealth } from '../../../adapters/resilience/dependency-health.js';
import { HmacPlateHasher } from '../../../adapters/security/hmac-plate-hasher.js';
import { Chain } from '../../../ports/chain.js';
import { NftMinter, PlateHasher } from '../../../ports/nft-minter.js';
import type { Notifier } from '../../../ports/notifier.js';
import { createChain } from '../../chain-factory.js';
import type { Config } from '../../config.js';
import { Tokens } from '../../tokens.js';
import { breakerEvents } from './alerts.js';
import { ContainerModule } from 'inversify';

/** Cardano: the chain (CHAIN_DRIVER, behind the "chain" breaker), the minting wallet and the plate hasher. */
export function chainModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<NftMinter>(NftMinter)
      .toDynamicValue(() => {
        if (!config.mint.signingKey)
          throw new Error(
            'minting key missing: set MINT_SIGNING_KEY (the server generates one for the emulator in development)',
          );
        // The emulator is a testnet: its addresses are testnet ones.
        return new PlutsNftMinter(
          config.mint.signingKey,
          config.chain.driver === 'emulator' ? 'preview' : config.chain.network,
        );
      })
      .inSingletonScope();
    bind<PlateHasher>(PlateHasher)
      .toDynamicValue(() => {
        if (!config.mint.plateHashSecret)
          throw new Error('plate hash secret missing: set PLATE_HASH_SECRET (generated in development)');
        return new HmacPlateHasher(config.mint.plateHashSecret);
      })
      .inSingletonScope();
    // Busy inputs and ledger rejections say nothing about the provider's health.
    bind(Tokens.ChainProvider)
      .toDynamicValue((ctx) => createChain(config, ctx.get<NftMinter>(NftMinter).walletAddress))
      .inSingletonScope();
    bind<Chain>(Chain)
      .toDynamicValue((ctx) =>
        withBreaker(
          ctx.get(Tokens.ChainProvider),
          { name: 'chain', timeoutMs: 0, ignoreCodes: ['CHAIN.UTXO_BUSY'], ...config.breakers },
          breakerEvents(logger, notifier, health),
        ),
      )
      .inSingletonScope();
    bind(Tokens.VerifyChain)
      .toDynamicValue((ctx) =>
        withBreaker(
          ctx.get(Tokens.ChainProvider),
          { name: 'chain-verify', timeoutMs: 0, ...config.breakers },
          breakerEvents(logger, notifier, health),
        ),
      )
      .inSingletonScope();
  });
}
