import { expect } from 'chai';
import { Readable } from 'node:stream';
import { Registry } from 'prom-client';
import { registerBreakerMetrics } from '../../../src/adapters/observability/breaker-metrics.js';
import { instrumentIpfs, instrumentStorage } from '../../../src/adapters/observability/dependency-metrics.js';
import { errorCategory } from '../../../src/adapters/observability/error-category.js';
import { PromJobTelemetry } from '../../../src/adapters/observability/job-metrics.js';
import { mintErrorCategory } from '../../../src/adapters/observability/mint-error-category.js';
import { PromPaymentTelemetry } from '../../../src/adapters/observability/payment-metrics.js';
import { DependencyHealth } from '../../../src/adapters/resilience/dependency-health.js';
import { ChainErrors } from '../../../src/domain/chain/chain.js';
import { StorageErrors } from '../../../src/domain/storage/storage-errors.js';
import type { Ipfs } from '../../../src/ports/ipfs.js';
import type { ObjectStorage, StoredObjectInfo } from '../../../src/ports/object-storage.js';

/** The value of one series of the registry's exposition (undefined when absent). */
async function value(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

const info = (key: string, size: number): StoredObjectInfo => ({
  key,
  size,
  contentType: 'image/jpeg',
  lastModified: new Date(0),
  etag: 'e',
});

describe('metrics adapters', () => {
  it('classifies dependency failures into bounded categories from their codes, messages and causes', () => {
    const code = (c: string) => Object.assign(new Error('x'), { code: c });
    expect(errorCategory(code('ECONNREFUSED'))).to.equal('network');
    expect(errorCategory(StorageErrors.unavailable('putting photos/a.jpg: AccessDenied'))).to.equal('auth');
    expect(errorCategory(code('SlowDown'))).to.equal('quota');
    expect(errorCategory(Object.assign(new Error('upload failed'), { cause: code('ENOSPC') }))).to.equal('quota');
    expect(errorCategory(code('NoSuchKey'))).to.equal('not_found');
    expect(errorCategory(new Error('the operation timed out'))).to.equal('timeout');
    expect(errorCategory(new Error('something else'))).to.equal('other');
  });

  it('maps mint error codes to categories, anything unknown to other', () => {
    expect(mintErrorCategory(ChainErrors.utxoBusy('x').code)).to.equal('utxo_busy');
    expect(mintErrorCategory(ChainErrors.mempoolFull('x').code)).to.equal('mempool_full');
    expect(mintErrorCategory(ChainErrors.invalidWitness('x').code)).to.equal('invalid_witness');
    expect(mintErrorCategory('CHAIN.TIMEOUT')).to.equal('timeout');
    expect(mintErrorCategory('ARCHIVE.UNEXPECTED')).to.equal('other');
  });

  it('storage calls are timed and counted by operation and outcome; puts count their bytes; other members pass through', async () => {
    const registry = new Registry();
    const store = {
      driver: 'fake',
      put: async (key: string, _b: Buffer | Readable) => info(key, 42),
      get: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND s3'), { code: 'ENOTFOUND' });
      },
      head: async () => null,
      delete: async () => undefined,
      list: async () => [],
      signedGetUrl: async (key: string) => `https://x/${key}`,
    } as ObjectStorage;
    const s = instrumentStorage(store, registry);
    expect(s.driver).to.equal('fake');
    await s.put('a', Buffer.from('x'), { contentType: 'image/jpeg' });
    await s.get('a').catch(() => undefined);
    expect(await s.signedGetUrl('k', 60)).to.equal('https://x/k');
    const ok = 'car_dano_storage_operations_total{operation="put",outcome="success",error_category="none"}';
    expect(await value(registry, ok)).to.equal(1);
    const failed = 'car_dano_storage_operations_total{operation="get",outcome="error",error_category="network"}';
    expect(await value(registry, failed)).to.equal(1);
    expect(await value(registry, 'car_dano_storage_bytes_total{operation="put"}')).to.equal(42);
    expect(await value(registry, 'car_dano_storage_operation_duration_seconds_count{operation="get"}')).to.equal(1);
    // Known series exist from the start, at 0.
    expect(
      await value(
        registry,
        'car_dano_storage_operations_total{operation="delete",outcome="success",error_category="none"}',
      ),
    ).to.equal(0);
  });

  it('IPFS calls are counted under their operation names', async () => {
    const registry = new Registry();
    const node = {
      driver: 'fake',
      add: async () => ({ cid: 'bafy', size: 1 }),
      cat: async () => Readable.from([]),
      isPinned: async () => true,
      unpin: async () => undefined,
    } as Ipfs;
    await instrumentIpfs(node, registry).isPinned('bafy');
    expect(
      await value(
        registry,
        'car_dano_ipfs_operations_total{operation="pin_check",outcome="success",error_category="none"}',
      ),
    ).to.equal(1);
  });

  it('breaker state is read at scrape time and transitions are counted', async () => {
    const registry = new Registry();
    const health = new DependencyHealth();
    registerBreakerMetrics(registry, health);
    expect(await value(registry, 'car_dano_breaker_state{breaker="storage"}')).to.equal(0);
    health.report('storage', 'open');
    expect(await value(registry, 'car_dano_breaker_state{breaker="storage"}')).to.equal(2);
    health.report('storage', 'half-open');
    expect(await value(registry, 'car_dano_breaker_state{breaker="storage"}')).to.equal(1);
    expect(await value(registry, 'car_dano_breaker_transitions_total{breaker="storage",state="open"}')).to.equal(1);
  });

  it('job telemetry: lower-case stages, mint errors by category, pipelines, PDFs and submissions', async () => {
    const registry = new Registry();
    const t = new PromJobTelemetry(registry);
    t.stageCompleted('report-render', 'RENDER', 2);
    t.attemptEnded('mint', 'retry', 'CHAIN.UTXO_BUSY');
    t.attemptEnded('report-render', 'retry', 'STORAGE.TIMEOUT');
    t.pipelineEnded('archive', 'success', 120);
    t.pdfProduced('no_docs', 3 * 1024 * 1024);
    t.mintSubmission('resubmitted');
    expect(
      await value(registry, 'car_dano_job_stage_duration_seconds_count{queue="report-render",stage="render"}'),
    ).to.equal(1);
    expect(await value(registry, 'car_dano_mint_errors_total{category="utxo_busy"}')).to.equal(1);
    // A report job's error is not a mint error.
    expect(await value(registry, 'car_dano_mint_errors_total{category="other"}')).to.equal(0);
    expect(
      await value(registry, 'car_dano_pipeline_duration_seconds_count{pipeline="archive",outcome="success"}'),
    ).to.equal(1);
    expect(await value(registry, 'car_dano_report_pdf_size_bytes_count{variant="no_docs"}')).to.equal(1);
    expect(await value(registry, 'car_dano_mint_submissions_total{outcome="resubmitted"}')).to.equal(1);
    expect(await value(registry, 'car_dano_job_attempts_total{queue="mint",outcome="failed"}')).to.equal(0);
  });

  it('payment telemetry: invoices by purpose label, webhooks by outcome', async () => {
    const registry = new Registry();
    const p = new PromPaymentTelemetry(registry);
    p.invoiceOpened('CREDIT_PACKAGE', 'error');
    p.webhookHandled('rejected');
    expect(await value(registry, 'car_dano_payment_invoices_total{purpose="credits",outcome="error"}')).to.equal(1);
    expect(await value(registry, 'car_dano_payment_invoices_total{purpose="inspection",outcome="created"}')).to.equal(
      0,
    );
    expect(await value(registry, 'car_dano_payment_webhooks_total{outcome="rejected"}')).to.equal(1);
  });
});
