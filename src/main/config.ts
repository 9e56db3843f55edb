import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { parseTargetRange } from '../domain/report/compression.js';

/**
 * Every environment variable the service reads. This table is the single source for validation,
 * defaults and the README's configuration table (test/unit/config.spec.ts keeps them in step).
 */
export const ENV_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  properties: {
    APP_ENV: {
      type: 'string',
      enum: ['local', 'production'],
      default: 'production',
      description:
        'Deployment profile. production (the default anywhere but `make run`, `make worker`, `make cli` and the tests, which set local) refuses to start with the sandbox payment gateway, demo seeding, generated development secrets, /metrics without METRICS_TOKEN, a wildcard CORS origin, or the emulator chain without CHAIN_EMULATOR_IN_PRODUCTION=true.',
    },
    NODE_ENV: {
      type: 'string',
      enum: ['development', 'test', 'production'],
      default: 'development',
      description: 'Runtime mode of libraries; NODE_ENV=production also applies the production profile.',
    },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1', description: 'Interface the HTTP server binds to.' },
    PORT: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: 3000,
      description: 'HTTP port (0 picks a free one).',
    },
    PUBLIC_BASE_URL: {
      type: 'string',
      pattern: '^https?://',
      description: 'Public origin of the API used in links; default http://HOST:PORT.',
    },
    DATA_DIR: {
      type: 'string',
      minLength: 1,
      default: '.data',
      description: 'Where embedded adapters keep their state (database, secrets, demo credentials).',
    },
    DATABASE_URL: {
      type: 'string',
      pattern: '^postgres(ql)?://',
      description:
        'PostgreSQL connection string. Unset: an embedded PostgreSQL is started in DATA_DIR/postgres. Secret: DATABASE_URL_FILE also accepted.',
    },
    DATABASE_POOL_MAX: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 10,
      description: 'Maximum connections in the pool.',
    },
    DATABASE_STATEMENT_TIMEOUT_MS: {
      type: 'integer',
      minimum: 100,
      default: 30000,
      description: 'statement_timeout for every connection.',
    },
    EMBEDDED_PG_PORT: {
      type: 'integer',
      minimum: 1024,
      maximum: 65535,
      default: 54329,
      description: 'Port (127.0.0.1 only) of the embedded PostgreSQL.',
    },
    EMBEDDED_PG_SHARED_DIR: {
      type: 'string',
      minLength: 1,
      default: '/var/lib/car-dano/embedded-postgres',
      description:
        'As root, when the postgres user cannot reach the project (a clone in a 0700 home): where the embedded cluster runs from (a 0755 copy of its binaries, keyed by version) and keeps its data (linked from DATA_DIR/postgres).',
    },
    EMBEDDED_PG_RELOCATE: {
      type: 'string',
      enum: ['auto', 'always'],
      default: 'auto',
      description:
        'As root: always copies the PostgreSQL binaries to EMBEDDED_PG_SHARED_DIR even when the project is reachable.',
    },
    EMBEDDED_PG_DATABASE: {
      type: 'string',
      pattern: '^[a-z_][a-z0-9_]*$',
      default: 'cardano',
      description: 'Database name inside the embedded cluster.',
    },
    LOG_LEVEL: {
      type: 'string',
      enum: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'],
      default: 'http',
      description: 'winston log level; http includes one access line per request.',
    },
    JWT_SECRET: {
      type: 'string',
      minLength: 32,
      description:
        'HMAC key of access tokens (>= 32 chars). Required in production; in development one is generated into DATA_DIR/secrets. Secret: JWT_SECRET_FILE also accepted.',
    },
    JWT_ISSUER: { type: 'string', minLength: 1, default: 'car-dano', description: 'iss claim of access tokens.' },
    JWT_AUDIENCE: { type: 'string', minLength: 1, default: 'car-dano-api', description: 'aud claim of access tokens.' },
    ACCESS_TOKEN_TTL_SECONDS: {
      type: 'integer',
      minimum: 60,
      maximum: 86400,
      default: 900,
      description: 'Lifetime of an access token.',
    },
    REFRESH_TOKEN_TTL_DAYS: {
      type: 'integer',
      minimum: 1,
      maximum: 365,
      default: 30,
      description: 'Lifetime of a login session (its refresh tokens).',
    },
    ARGON2_MEMORY_KIB: {
      type: 'integer',
      minimum: 1024,
      default: 19456,
      description: 'argon2id memory cost per hash, KiB.',
    },
    ARGON2_TIME_COST: { type: 'integer', minimum: 1, maximum: 10, default: 2, description: 'argon2id iterations.' },
    ARGON2_PARALLELISM: { type: 'integer', minimum: 1, maximum: 8, default: 1, description: 'argon2id lanes.' },
    CORS_ORIGINS: {
      type: 'string',
      default: '',
      description: 'Comma-separated allowed browser origins; empty disables CORS; "*" only outside production.',
    },
    BODY_LIMIT_KB: {
      type: 'integer',
      minimum: 1,
      maximum: 10240,
      default: 100,
      description: 'Maximum JSON body size.',
    },
    TRUST_PROXY: {
      type: 'string',
      default: 'false',
      description:
        'Which proxies may set the client address (X-Forwarded-For), as Express reads it: false (no proxy: the address is the peer), a hop count (1 behind one load balancer), or a comma-separated list of proxy addresses/CIDRs (loopback, uniquelocal, 10.0.0.0/8, ...). true is refused: it would let every client choose its own address and rate-limit bucket.',
    },
    RATE_LIMIT_WINDOW_SECONDS: {
      type: 'integer',
      minimum: 1,
      default: 60,
      description: 'Window of the general rate limit.',
    },
    RATE_LIMIT_MAX: {
      type: 'integer',
      minimum: 1,
      default: 300,
      description:
        'Requests per window per client on the whole API (the report pages and photos the renderer fetches with a render token have their own bucket of 100 times this).',
    },
    AUTH_RATE_LIMIT_WINDOW_SECONDS: {
      type: 'integer',
      minimum: 1,
      default: 900,
      description: 'Window of the strict limit on login, register and refresh.',
    },
    AUTH_RATE_LIMIT_MAX: {
      type: 'integer',
      minimum: 1,
      default: 20,
      description: 'Auth requests per window per client.',
    },
    VERIFY_CACHE_SECONDS: {
      type: 'integer',
      minimum: 0,
      maximum: 3600,
      default: 60,
      description:
        'Public verifications that asked the chain are answered again from memory for this long per hash (0: never), so one hash cannot hammer the chain provider; chain.checkedAt says when it was asked.',
    },
    VERIFY_RATE_LIMIT_MAX: {
      type: 'integer',
      minimum: 1,
      default: 30,
      description:
        'Public verifications (POST /public/verify) per RATE_LIMIT_WINDOW_SECONDS per client, in a bucket of their own: each may read a 50 MB upload and ask the chain.',
    },
    METRICS_TOKEN: {
      type: 'string',
      minLength: 16,
      description:
        'When set, /metrics requires "Authorization: Bearer <token>". Secret: METRICS_TOKEN_FILE also accepted.',
    },
    SEED_DEMO: {
      type: 'string',
      enum: ['auto', 'true', 'false'],
      default: 'auto',
      description: 'Seed demo accounts at start; auto = only on the embedded database.',
    },
    SHUTDOWN_TIMEOUT_MS: {
      type: 'integer',
      minimum: 100,
      default: 10000,
      description: 'How long SIGTERM waits for in-flight requests.',
    },
    INSPECTION_TIME_ZONE: {
      type: 'string',
      minLength: 1,
      default: 'Asia/Jakarta',
      description: 'Time zone of inspection dates (default inspection date, dashboard buckets).',
    },
    STORAGE_DRIVER: {
      type: 'string',
      enum: ['fs', 's3'],
      default: 'fs',
      description:
        'Object storage: fs (files under STORAGE_FS_ROOT, served by signed URLs) or s3 (S3-compatible: Backblaze B2, MinIO).',
    },
    STORAGE_FS_ROOT: {
      type: 'string',
      minLength: 1,
      description: 'Root of the filesystem store; default DATA_DIR/objects.',
    },
    STORAGE_URL_SECRET: {
      type: 'string',
      minLength: 32,
      description:
        'HMAC key of the filesystem store download URLs. Required in production with STORAGE_DRIVER=fs; generated into DATA_DIR/secrets in development. Secret: STORAGE_URL_SECRET_FILE also accepted.',
    },
    S3_ENDPOINT: {
      type: 'string',
      pattern: '^https?://',
      description: 'S3 endpoint URL, e.g. https://s3.us-west-004.backblazeb2.com (required with STORAGE_DRIVER=s3).',
    },
    S3_REGION: {
      type: 'string',
      minLength: 1,
      default: 'us-east-1',
      description: 'S3 region (B2: the region in the endpoint, e.g. us-west-004).',
    },
    S3_BUCKET: { type: 'string', minLength: 3, description: 'Bucket name (required with STORAGE_DRIVER=s3).' },
    S3_ACCESS_KEY_ID: {
      type: 'string',
      minLength: 1,
      description: 'S3 access key id (B2: keyID). Secret: S3_ACCESS_KEY_ID_FILE also accepted.',
    },
    S3_SECRET_ACCESS_KEY: {
      type: 'string',
      minLength: 1,
      description: 'S3 secret key (B2: applicationKey). Secret: S3_SECRET_ACCESS_KEY_FILE also accepted.',
    },
    S3_PUBLIC_BASE_URL: {
      type: 'string',
      pattern: '^https?://',
      description: 'Optional origin presigned URLs are rewritten to (a CDN or proxy in front of the bucket).',
    },
    STORAGE_MULTIPART_THRESHOLD_MB: {
      type: 'integer',
      minimum: 5,
      default: 100,
      description: 'Objects at least this large are uploaded in parts (S3 driver).',
    },
    STORAGE_MULTIPART_PART_SIZE_MB: {
      type: 'integer',
      minimum: 5,
      maximum: 5120,
      default: 50,
      description: 'Part size of multipart uploads (minimum 5).',
    },
    STORAGE_MULTIPART_CONCURRENCY: {
      type: 'integer',
      minimum: 1,
      maximum: 16,
      default: 3,
      description: 'Parts uploaded at once.',
    },
    PHOTO_MAX_MB: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 15,
      description: 'Largest accepted photo file.',
    },
    PHOTO_MAX_PIXELS: {
      type: 'integer',
      minimum: 1000,
      maximum: 1000000000,
      default: 50000000,
      description:
        'Largest accepted photo in pixels (width x height; 50 MP by default). Every upload is decoded before it is accepted; more pixels (a decompression bomb) is 422 PHOTO.TOO_MANY_PIXELS.',
    },
    PHOTO_URL_TTL_SECONDS: {
      type: 'integer',
      minimum: 30,
      maximum: 604800,
      default: 900,
      description: 'Lifetime of the signed photo URLs in responses.',
    },
    DELETION_SWEEP_SECONDS: {
      type: 'integer',
      minimum: 1,
      default: 60,
      description:
        'How often failed object deletions and IPFS pin checks (unpin a withdrawn report, pin a re-activated one) are retried.',
    },
    PHOTO_RENDITION_MAX_PX: {
      type: 'integer',
      minimum: 300,
      maximum: 4000,
      default: 800,
      description:
        'Long side of the print renditions reports embed (800 px is ~320 dpi at the 63 mm a photo is printed; 1200 px made sample reports about three times larger).',
    },
    PHOTO_RENDITION_QUALITY: {
      type: 'integer',
      minimum: 30,
      maximum: 95,
      default: 75,
      description: 'JPEG quality of the print renditions.',
    },
    CHROMIUM_PATH: {
      type: 'string',
      minLength: 1,
      description:
        'Chromium executable for reports; found automatically when unset (Debian chromium-headless-shell first).',
    },
    RENDER_CONCURRENCY: {
      type: 'integer',
      minimum: 1,
      maximum: 16,
      default: 2,
      description: 'Reports rendered at once (one warm Chromium pool).',
    },
    RENDER_GOTO_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1000,
      default: 60000,
      description: 'Navigation timeout of the report page.',
    },
    RENDER_PDF_TIMEOUT_MS: { type: 'integer', minimum: 1000, default: 120000, description: 'page.pdf() timeout.' },
    RENDER_TIMEOUT_MS: {
      type: 'integer',
      minimum: 10000,
      default: 600000,
      description: 'Limit of one render (load, assets, print) in the pool: the render stage timeout.',
    },
    RENDER_ASSET_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1000,
      default: 30000,
      description: 'How long to wait for every image of the page to finish loading.',
    },
    RENDER_SLOW_ASSET_MS: {
      type: 'integer',
      minimum: 100,
      default: 3000,
      description: 'Assets slower than this are logged.',
    },
    RENDER_ATTEMPTS: {
      type: 'integer',
      minimum: 1,
      maximum: 5,
      default: 2,
      description: 'Render attempts when the image quality gate fails.',
    },
    RENDER_ALLOWED_HOSTS: {
      type: 'string',
      default: '',
      description:
        'Extra hosts (host[:port], comma-separated, e.g. a CDN) the renderer may load besides the API itself.',
    },
    REPORT_BASE_URL: {
      type: 'string',
      pattern: '^https?://',
      description:
        'Origin the renderer loads report pages from; default http://HOST:PORT (127.0.0.1 when HOST is 0.0.0.0).',
    },
    PDF_MIN_RECOMPRESS_MB: {
      type: 'number',
      minimum: 0,
      default: 50,
      description: 'Below this a report PDF is left as rendered.',
    },
    PDF_AGGRESSIVE_MB: {
      type: 'number',
      minimum: 0,
      default: 120,
      description: 'Above this the size control starts further down the re-render ladder.',
    },
    PDF_TARGET_RANGE_MB: {
      type: 'string',
      pattern: '^\\s*\\d+(\\.\\d+)?\\s*-\\s*\\d+(\\.\\d+)?\\s*$',
      default: '50-100',
      description: 'Size range re-rendering aims for, "min-max" in MB.',
    },
    PDF_MAX_SIZE_MB: {
      type: 'number',
      minimum: 1,
      default: 100,
      description: 'Still above this after re-rendering: Ghostscript /ebook, then /printer.',
    },
    REPORT_JOB_RETRY_LIMIT: {
      type: 'integer',
      minimum: 0,
      maximum: 20,
      default: 3,
      description: 'Retries of a failed report job (exponential backoff).',
    },
    REPORT_JOB_RETRY_DELAY_SECONDS: {
      type: 'integer',
      minimum: 1,
      default: 10,
      description: 'First retry delay of a report job (exponential backoff with jitter: 10-20 s, then 20-40 s, ...).',
    },
    JOB_HEARTBEAT_SECONDS: {
      type: 'integer',
      minimum: 10,
      maximum: 600,
      default: 10,
      description:
        'A running report or mint job sends a heartbeat every half of this; a job whose worker died (no heartbeat for this long) is retried. Crash recovery takes about this + JOB_MONITOR_SECONDS + the first retry delay.',
    },
    JOB_MONITOR_SECONDS: {
      type: 'integer',
      minimum: 1,
      maximum: 300,
      default: 5,
      description: 'How often each process checks the queues for jobs whose heartbeat or time limit has run out.',
    },
    WORKER_ENABLED: {
      type: 'string',
      enum: ['true', 'false'],
      default: 'true',
      description:
        'Run the report worker inside the API process (make run); false when workers run separately (npm run worker).',
    },
    WORKER_MIN_CONCURRENCY: {
      type: 'integer',
      minimum: 1,
      default: 1,
      description: 'Fewest report consumers the load governor keeps running.',
    },
    WORKER_HIGH_LOAD_PER_CORE: {
      type: 'number',
      minimum: 0.1,
      default: 1.5,
      description: 'Above this 1-minute load per core the worker takes one consumer away.',
    },
    WORKER_LOW_LOAD_PER_CORE: {
      type: 'number',
      minimum: 0,
      default: 0.7,
      description:
        'Below this load per core (with memory to spare) the worker gives one back, up to RENDER_CONCURRENCY.',
    },
    WORKER_MIN_FREE_MEMORY_MB: {
      type: 'integer',
      minimum: 0,
      default: 512,
      description: 'Below this free memory the worker takes one consumer away.',
    },
    QUEUE_BACKLOG_ALERT_DEPTH: {
      type: 'integer',
      minimum: 1,
      default: 100,
      description: 'Alert when more than this many report jobs are queued...',
    },
    QUEUE_BACKLOG_ALERT_MINUTES: { type: 'integer', minimum: 1, default: 10, description: '...for this many minutes.' },
    WORKER_GOVERNOR_SECONDS: {
      type: 'integer',
      minimum: 1,
      default: 10,
      description: 'How often the load governor re-evaluates.',
    },
    IPFS_DRIVER: {
      type: 'string',
      enum: ['embedded', 'kubo'],
      default: 'embedded',
      description:
        'IPFS: embedded (in-process, blocks under DATA_DIR/ipfs, served at /ipfs/{cid}) or kubo (KUBO_RPC_URL).',
    },
    IPFS_CID_VERSION: {
      type: 'integer',
      enum: [0, 1],
      default: 1,
      description: 'CID version of added reports, as ipfs add --cid-version.',
    },
    KUBO_RPC_URL: {
      type: 'string',
      pattern: '^https?://',
      description: 'Kubo RPC API (required with IPFS_DRIVER=kubo), e.g. http://127.0.0.1:5001.',
    },
    IPFS_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1000,
      default: 60000,
      description: 'Budget of one IPFS call (the IPFS stage timeout).',
    },
    REPORT_UPLOAD_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1000,
      default: 120000,
      description: 'Budget of uploading one report PDF to object storage (the STORE stage timeout).',
    },
    ALERT_WEBHOOK_URL: {
      type: 'string',
      pattern: '^https?://',
      description:
        'Slack-compatible incoming webhook for alerts (besides the log line every alert gets). Secret: ALERT_WEBHOOK_URL_FILE also accepted.',
    },
    ALERT_QUIET_MINUTES: {
      type: 'integer',
      minimum: 0,
      default: 15,
      description: 'The same alert (kind and subject) is not repeated within this many minutes.',
    },
    BREAKER_ERROR_THRESHOLD_PERCENT: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 50,
      description: 'Failure percentage that opens the circuit breaker of an external port (storage, renderer).',
    },
    BREAKER_VOLUME_THRESHOLD: {
      type: 'integer',
      minimum: 1,
      default: 5,
      description: 'Calls in the window before a breaker may open.',
    },
    BREAKER_WINDOW_SECONDS: {
      type: 'integer',
      minimum: 1,
      default: 60,
      description: 'Rolling window of the breaker statistics.',
    },
    BREAKER_RESET_SECONDS: {
      type: 'integer',
      minimum: 1,
      default: 30,
      description: 'How long an open breaker waits before one trial call.',
    },
    CHAIN_EMULATOR_IN_PRODUCTION: {
      type: 'string',
      enum: ['true', 'false'],
      default: 'false',
      description:
        'Allow the emulator chain under APP_ENV=production (a staging box without Cardano); its NFTs exist nowhere else.',
    },
    CHAIN_DRIVER: {
      type: 'string',
      enum: ['emulator', 'blockfrost'],
      default: 'emulator',
      description:
        'Cardano: emulator (in-process ledger kept under DATA_DIR/chain) or blockfrost (BLOCKFROST_PROJECT_ID, CHAIN_NETWORK).',
    },
    CHAIN_NETWORK: {
      type: 'string',
      enum: ['preview', 'preprod', 'mainnet'],
      default: 'preview',
      description: 'Cardano network of the Blockfrost driver (the emulator always uses testnet addresses).',
    },
    BLOCKFROST_PROJECT_ID: {
      type: 'string',
      minLength: 8,
      description:
        'Blockfrost project id (required with CHAIN_DRIVER=blockfrost). Secret: BLOCKFROST_PROJECT_ID_FILE also accepted.',
    },
    BLOCKFROST_URL: {
      type: 'string',
      pattern: '^https?://',
      description: 'Blockfrost API base URL; default https://cardano-<network>.blockfrost.io/api/v0.',
    },
    CHAIN_EMULATOR_BLOCK_MS: {
      type: 'integer',
      minimum: 50,
      default: 2000,
      description: 'Emulator: one block every this many ms.',
    },
    CHAIN_EMULATOR_UTXOS: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 60,
      description:
        'Emulator: how many UTxOs fund the minting wallet at genesis (first start only); parallel mints need distinct ones.',
    },
    CHAIN_EMULATOR_UTXO_ADA: {
      type: 'integer',
      minimum: 5,
      default: 100,
      description: 'Emulator: ADA in each genesis UTxO.',
    },
    CHAIN_SUBMIT_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1000,
      default: 60000,
      description: 'Budget of one chain call while minting (the chain submit stage timeout).',
    },
    MINT_SIGNING_KEY: {
      type: 'string',
      pattern: '^[0-9a-fA-F]{64}$',
      description:
        'Minting wallet and policy key: a 32-byte ed25519 seed as 64 hex digits (the part after "5820" of a cardano-cli signing key cborHex). Required with CHAIN_DRIVER=blockfrost; generated into DATA_DIR/secrets for the emulator. Never logged. Secret: MINT_SIGNING_KEY_FILE also accepted.',
    },
    MINT_CONFIRMATIONS: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 3,
      description: 'Blocks a mint needs on top before it counts as CONFIRMED (the inspection becomes ARCHIVED).',
    },
    MINT_CONFIRM_TIMEOUT_MS: {
      type: 'integer',
      minimum: 1000,
      default: 300000,
      description: 'A submitted mint not seen on chain (nor in the mempool) after this long is rebuilt.',
    },
    MINT_POLL_MS: {
      type: 'integer',
      minimum: 50,
      default: 2000,
      description: 'How often the confirmation watcher polls submitted mints.',
    },
    MINT_STUCK_ALERT_MINUTES: {
      type: 'integer',
      minimum: 1,
      default: 10,
      description: 'Alert when a mint stays SUBMITTED longer than this.',
    },
    MINT_CONCURRENCY: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      default: 8,
      description: 'Mint jobs built and submitted in parallel per worker (each leases its own UTxO).',
    },
    MINT_JOB_RETRY_LIMIT: {
      type: 'integer',
      minimum: 0,
      maximum: 20,
      default: 5,
      description: 'Retries of a mint job after a retryable error (busy inputs, provider down) before it fails.',
    },
    MINT_JOB_RETRY_DELAY_SECONDS: {
      type: 'integer',
      minimum: 1,
      default: 5,
      description: 'First retry delay of a mint job (exponential backoff with jitter).',
    },
    UTXO_LEASE_SECONDS: {
      type: 'integer',
      minimum: 30,
      default: 900,
      description:
        'How long a mint holds its wallet inputs before another may take them (a crashed worker does not hold them forever).',
    },
    ARCHIVE_AUTO: {
      type: 'string',
      enum: ['true', 'false'],
      default: 'true',
      description: 'Archive (mint) automatically when the report job of an approved inspection is done.',
    },
    PLATE_HASH_SECRET: {
      type: 'string',
      minLength: 32,
      description:
        'HMAC key for the plate hash in NFT metadata (>= 32 chars). Required in production; generated into DATA_DIR/secrets otherwise. Secret: PLATE_HASH_SECRET_FILE also accepted.',
    },
    CUSTOMER_MAX_VEHICLES: {
      type: 'integer',
      minimum: 1,
      maximum: 10000,
      default: 20,
      description: 'Vehicles one customer may register (409 VEHICLE.QUOTA_EXCEEDED beyond).',
    },
    CUSTOMER_MAX_OPEN_REQUESTS: {
      type: 'integer',
      minimum: 1,
      maximum: 10000,
      default: 10,
      description:
        'Inspection requests one customer may have open (not DONE or CANCELLED) at once (409 REQUEST.QUOTA_EXCEEDED beyond).',
    },
    CUSTOMER_MAX_STORED_MB: {
      type: 'integer',
      minimum: 1,
      maximum: 1000000,
      default: 500,
      description:
        'Megabytes of photos one customer may store: vehicle photos plus the photos of all their requests, open or not (409 CUSTOMER.STORAGE_QUOTA_EXCEEDED beyond).',
    },
    REQUEST_SCHEDULE_HORIZON_DAYS: {
      type: 'integer',
      minimum: 1,
      maximum: 365,
      default: 60,
      description:
        'Customer inspection requests: the preferred schedule must be in the future and at most this many days ahead.',
    },
    REQUEST_CREATE_RATE_LIMIT_MAX: {
      type: 'integer',
      minimum: 1,
      default: 10,
      description: 'Inspection requests a client may create per RATE_LIMIT_WINDOW_SECONDS (throttling on create).',
    },
    PAYMENT_DRIVER: {
      type: 'string',
      enum: ['sandbox', 'xendit'],
      default: 'sandbox',
      description:
        'Payment gateway: sandbox (a local checkout page at /sandbox/checkout/{invoiceId} that calls our webhook like the real gateway; refused in production) or xendit (invoices API).',
    },
    PAYMENT_WEBHOOK_TOKEN: {
      type: 'string',
      minLength: 16,
      description:
        'Token the gateway sends in x-callback-token with every webhook (Xendit: the callback verification token). Required with PAYMENT_DRIVER=xendit and in production; generated into DATA_DIR/secrets otherwise. Secret: PAYMENT_WEBHOOK_TOKEN_FILE also accepted.',
    },
    XENDIT_SECRET_KEY: {
      type: 'string',
      minLength: 16,
      description:
        'Xendit secret API key (required with PAYMENT_DRIVER=xendit). Secret: XENDIT_SECRET_KEY_FILE also accepted.',
    },
    XENDIT_API_URL: {
      type: 'string',
      pattern: '^https?://',
      default: 'https://api.xendit.co',
      description: 'Xendit API base URL (tests point it at a local server).',
    },
    PAYMENT_INVOICE_TTL_MINUTES: {
      type: 'integer',
      minimum: 5,
      maximum: 10080,
      default: 1440,
      description: 'How long an invoice stays payable.',
    },
    PAYMENT_SUCCESS_URL: {
      type: 'string',
      pattern: '^https?://',
      description: 'Where the gateway sends the payer after paying (default: PUBLIC_BASE_URL).',
    },
    PAYMENT_FAILURE_URL: {
      type: 'string',
      pattern: '^https?://',
      description: 'Where the gateway sends the payer after a failed payment (default: PUBLIC_BASE_URL).',
    },
    REPORT_TOKEN_TTL_SECONDS: {
      type: 'integer',
      minimum: 30,
      maximum: 3600,
      default: 600,
      description: 'Lifetime of the render tokens with which Chromium (or a previewing person) reads a report page.',
    },
  },
} as const;

/** Variables that may instead be given as a path in NAME_FILE (Docker/Kubernetes secrets). */
const FILE_VARIABLES = [
  'DATABASE_URL',
  'JWT_SECRET',
  'METRICS_TOKEN',
  'STORAGE_URL_SECRET',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'ALERT_WEBHOOK_URL',
  'BLOCKFROST_PROJECT_ID',
  'MINT_SIGNING_KEY',
  'PLATE_HASH_SECRET',
  'PAYMENT_WEBHOOK_TOKEN',
  'XENDIT_SECRET_KEY',
] as const;

export interface Config {
  /** APP_ENV: the deployment profile. */
  appEnv: 'local' | 'production';
  /** The production profile applies (APP_ENV=production, or NODE_ENV=production): no development shortcuts. */
  production: boolean;
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicBaseUrl: string | undefined;
  dataDir: string;
  database: {
    url: string | undefined;
    poolMax: number;
    statementTimeoutMs: number;
    embeddedPort: number;
    embeddedDatabase: string;
    embeddedSharedDir: string;
    embeddedRelocate: 'auto' | 'always';
  };
  logLevel: string;
  jwt: {
    secret: string | undefined;
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
  };
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  http: { corsOrigins: string[]; bodyLimitKb: number; trustProxy: boolean | number | string };
  rateLimit: { windowSeconds: number; max: number; authWindowSeconds: number; authMax: number; verifyMax: number };
  metricsToken: string | undefined;
  seedDemo: 'auto' | 'true' | 'false';
  shutdownTimeoutMs: number;
  inspectionTimeZone: string;
  storage: {
    driver: 'fs' | 's3';
    fsRoot: string;
    urlSecret: string | undefined;
    s3: {
      endpoint?: string;
      region: string;
      bucket?: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      publicBaseUrl?: string;
    };
    multipartThresholdMB: number;
    partSizeMB: number;
    partConcurrency: number;
    deletionSweepSeconds: number;
  };
  photos: {
    maxBytes: number;
    maxPixels: number;
    urlTtlSeconds: number;
    rendition: { maxSide: number; quality: number };
  };
  reports: {
    tokenTtlSeconds: number;
    baseUrl: string;
    workerEnabled: boolean;
    jobRetryLimit: number;
    uploadTimeoutMs: number;
    jobRetryDelaySeconds: number;
    size: { minRecompressMB: number; aggressiveMB: number; targetMinMB: number; targetMaxMB: number; maxMB: number };
  };
  alerts: { webhookUrl?: string; quietMs: number };
  ipfs: { driver: 'embedded' | 'kubo'; cidVersion: 0 | 1; kuboUrl?: string; timeoutMs: number };
  chain: {
    driver: 'emulator' | 'blockfrost';
    network: 'preview' | 'preprod' | 'mainnet';
    blockfrostProjectId?: string;
    blockfrostUrl?: string;
    emulator: { blockMs: number; utxos: number; lovelacePerUtxo: bigint };
    timeoutMs: number;
    /** Public verification answers that asked the chain, reused per hash (0: never). */
    verifyCacheSeconds: number;
  };
  mint: {
    signingKey: string | undefined;
    confirmations: number;
    confirmTimeoutMs: number;
    pollMs: number;
    stuckAlertMs: number;
    concurrency: number;
    retryLimit: number;
    retryDelaySeconds: number;
    leaseSeconds: number;
    autoArchive: boolean;
    plateHashSecret: string | undefined;
  };
  customer: {
    scheduleHorizonDays: number;
    createRateLimitMax: number;
    maxVehicles: number;
    maxOpenRequests: number;
    maxStoredBytes: number;
  };
  payments: {
    driver: 'sandbox' | 'xendit';
    webhookToken: string | undefined;
    xenditSecretKey?: string;
    xenditApiUrl: string;
    invoiceTtlMinutes: number;
    successUrl?: string;
    failureUrl?: string;
  };
  jobs: { heartbeatSeconds: number; monitorSeconds: number };
  worker: {
    minConcurrency: number;
    highLoadPerCore: number;
    lowLoadPerCore: number;
    minFreeMemoryMB: number;
    governorSeconds: number;
    backlogMaxDepth: number;
    backlogMinutes: number;
  };
  breakers: {
    errorThresholdPercentage: number;
    volumeThreshold: number;
    rollingCountTimeoutMs: number;
    resetTimeoutMs: number;
  };
  render: {
    chromiumPath?: string;
    concurrency: number;
    gotoTimeoutMs: number;
    pdfTimeoutMs: number;
    taskTimeoutMs: number;
    assetTimeoutMs: number;
    slowAssetMs: number;
    attempts: number;
    allowedHosts: string[];
  };
}

/** The validated environment (defaults applied by ajv). */
interface EnvValues {
  APP_ENV: Config['appEnv'];
  CHAIN_EMULATOR_IN_PRODUCTION: 'true' | 'false';
  NODE_ENV: Config['nodeEnv'];
  HOST: string;
  PORT: number;
  PUBLIC_BASE_URL?: string;
  DATA_DIR: string;
  DATABASE_URL?: string;
  DATABASE_POOL_MAX: number;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
  EMBEDDED_PG_PORT: number;
  EMBEDDED_PG_DATABASE: string;
  EMBEDDED_PG_SHARED_DIR: string;
  EMBEDDED_PG_RELOCATE: 'auto' | 'always';
  LOG_LEVEL: string;
  JWT_SECRET?: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  ACCESS_TOKEN_TTL_SECONDS: number;
  REFRESH_TOKEN_TTL_DAYS: number;
  ARGON2_MEMORY_KIB: number;
  ARGON2_TIME_COST: number;
  ARGON2_PARALLELISM: number;
  CORS_ORIGINS: string;
  BODY_LIMIT_KB: number;
  TRUST_PROXY: string;
  RATE_LIMIT_WINDOW_SECONDS: number;
  RATE_LIMIT_MAX: number;
  AUTH_RATE_LIMIT_WINDOW_SECONDS: number;
  AUTH_RATE_LIMIT_MAX: number;
  VERIFY_RATE_LIMIT_MAX: number;
  VERIFY_CACHE_SECONDS: number;
  METRICS_TOKEN?: string;
  SEED_DEMO: Config['seedDemo'];
  SHUTDOWN_TIMEOUT_MS: number;
  INSPECTION_TIME_ZONE: string;
  STORAGE_DRIVER: 'fs' | 's3';
  STORAGE_FS_ROOT?: string;
  STORAGE_URL_SECRET?: string;
  S3_ENDPOINT?: string;
  S3_REGION: string;
  S3_BUCKET?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  S3_PUBLIC_BASE_URL?: string;
  STORAGE_MULTIPART_THRESHOLD_MB: number;
  STORAGE_MULTIPART_PART_SIZE_MB: number;
  STORAGE_MULTIPART_CONCURRENCY: number;
  PHOTO_MAX_MB: number;
  PHOTO_MAX_PIXELS: number;
  PHOTO_URL_TTL_SECONDS: number;
  DELETION_SWEEP_SECONDS: number;
  REPORT_TOKEN_TTL_SECONDS: number;
  PHOTO_RENDITION_MAX_PX: number;
  PHOTO_RENDITION_QUALITY: number;
  CHROMIUM_PATH?: string;
  RENDER_CONCURRENCY: number;
  RENDER_GOTO_TIMEOUT_MS: number;
  RENDER_PDF_TIMEOUT_MS: number;
  RENDER_TIMEOUT_MS: number;
  RENDER_ASSET_TIMEOUT_MS: number;
  RENDER_SLOW_ASSET_MS: number;
  RENDER_ATTEMPTS: number;
  RENDER_ALLOWED_HOSTS: string;
  REPORT_BASE_URL?: string;
  PDF_MIN_RECOMPRESS_MB: number;
  PDF_AGGRESSIVE_MB: number;
  PDF_TARGET_RANGE_MB: string;
  PDF_MAX_SIZE_MB: number;
  REPORT_JOB_RETRY_LIMIT: number;
  REPORT_UPLOAD_TIMEOUT_MS: number;
  REPORT_JOB_RETRY_DELAY_SECONDS: number;
  JOB_HEARTBEAT_SECONDS: number;
  JOB_MONITOR_SECONDS: number;
  WORKER_ENABLED: 'true' | 'false';
  WORKER_MIN_CONCURRENCY: number;
  WORKER_HIGH_LOAD_PER_CORE: number;
  WORKER_LOW_LOAD_PER_CORE: number;
  WORKER_MIN_FREE_MEMORY_MB: number;
  WORKER_GOVERNOR_SECONDS: number;
  QUEUE_BACKLOG_ALERT_DEPTH: number;
  QUEUE_BACKLOG_ALERT_MINUTES: number;
  ALERT_WEBHOOK_URL?: string;
  ALERT_QUIET_MINUTES: number;
  IPFS_DRIVER: 'embedded' | 'kubo';
  IPFS_CID_VERSION: 0 | 1;
  KUBO_RPC_URL?: string;
  IPFS_TIMEOUT_MS: number;
  CHAIN_DRIVER: 'emulator' | 'blockfrost';
  CHAIN_NETWORK: 'preview' | 'preprod' | 'mainnet';
  BLOCKFROST_PROJECT_ID?: string;
  BLOCKFROST_URL?: string;
  CHAIN_EMULATOR_BLOCK_MS: number;
  CHAIN_EMULATOR_UTXOS: number;
  CHAIN_EMULATOR_UTXO_ADA: number;
  CHAIN_SUBMIT_TIMEOUT_MS: number;
  MINT_SIGNING_KEY?: string;
  MINT_CONFIRMATIONS: number;
  MINT_CONFIRM_TIMEOUT_MS: number;
  MINT_POLL_MS: number;
  MINT_STUCK_ALERT_MINUTES: number;
  MINT_CONCURRENCY: number;
  MINT_JOB_RETRY_LIMIT: number;
  MINT_JOB_RETRY_DELAY_SECONDS: number;
  UTXO_LEASE_SECONDS: number;
  ARCHIVE_AUTO: 'true' | 'false';
  PLATE_HASH_SECRET?: string;
  REQUEST_SCHEDULE_HORIZON_DAYS: number;
  CUSTOMER_MAX_VEHICLES: number;
  CUSTOMER_MAX_OPEN_REQUESTS: number;
  CUSTOMER_MAX_STORED_MB: number;
  REQUEST_CREATE_RATE_LIMIT_MAX: number;
  PAYMENT_DRIVER: 'sandbox' | 'xendit';
  PAYMENT_WEBHOOK_TOKEN?: string;
  XENDIT_SECRET_KEY?: string;
  XENDIT_API_URL: string;
  PAYMENT_INVOICE_TTL_MINUTES: number;
  PAYMENT_SUCCESS_URL?: string;
  PAYMENT_FAILURE_URL?: string;
  BREAKER_ERROR_THRESHOLD_PERCENT: number;
  BREAKER_VOLUME_THRESHOLD: number;
  BREAKER_WINDOW_SECONDS: number;
  BREAKER_RESET_SECONDS: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
const validate = ajv.compile(ENV_SCHEMA);

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/**
 * Reads and validates the configuration. Every bad or missing variable is reported at once in one
 * ConfigError, so an operator fixes them in one go.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): Config {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(env)) if (k in ENV_SCHEMA.properties && v !== undefined && v !== '') raw[k] = v;
  if (env.CORS_ORIGINS === '') raw.CORS_ORIGINS = '';

  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (raw[name] !== undefined) {
      problems.push(`${name} and ${name}_FILE are both set; set only one`);
      continue;
    }
    try {
      raw[name] = readFile(file).replace(/\r?\n$/, '');
    } catch (e) {
      problems.push(`${name}_FILE: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  if (!validate(raw)) {
    for (const err of validate.errors ?? []) {
      const name = err.instancePath.replace(/^\//, '') || String(err.params.missingProperty ?? '');
      // Never echo a secret's value (every *_FILE variable is one, as is anything named like a key or token).
      const secret =
        (FILE_VARIABLES as readonly string[]).includes(name) ||
        /SECRET|TOKEN|KEY|DATABASE_URL|WEBHOOK|PROJECT_ID/.test(name);
      const shown = secret ? '' : ` (got ${JSON.stringify(raw[name])})`;
      problems.push(`${name}: ${err.message ?? 'is invalid'}${shown}`);
    }
  }
  const c = raw as unknown as EnvValues;
  const corsOrigins = String(c.CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // The production profile fails closed: every development shortcut is refused, one line each.
  const production = c.APP_ENV === 'production' || c.NODE_ENV === 'production';
  const profile =
    c.NODE_ENV === 'production' && c.APP_ENV !== 'production' ? 'NODE_ENV=production' : 'APP_ENV=production';
  if (production) {
    if (!c.JWT_SECRET)
      problems.push(
        `JWT_SECRET: required when ${profile}; development secrets are never generated there (or JWT_SECRET_FILE)`,
      );
    if (corsOrigins.includes('*')) problems.push(`CORS_ORIGINS: "*" is not allowed when ${profile}`);
    if (!c.METRICS_TOKEN)
      problems.push(`METRICS_TOKEN: required when ${profile}, so /metrics is not public (or METRICS_TOKEN_FILE)`);
    if (c.SEED_DEMO === 'true') problems.push(`SEED_DEMO: demo accounts are never seeded when ${profile}`);
    if ((c.CHAIN_DRIVER ?? 'emulator') === 'emulator' && c.CHAIN_EMULATOR_IN_PRODUCTION !== 'true') {
      problems.push(
        `CHAIN_DRIVER: the emulator chain needs CHAIN_EMULATOR_IN_PRODUCTION=true when ${profile} (or CHAIN_DRIVER=blockfrost)`,
      );
    } else if ((c.CHAIN_DRIVER ?? 'emulator') === 'emulator' && !c.MINT_SIGNING_KEY) {
      problems.push(
        `MINT_SIGNING_KEY: required when ${profile}; no wallet key is generated there (or MINT_SIGNING_KEY_FILE)`,
      );
    }
  }
  if (c.STORAGE_DRIVER === 's3') {
    for (const v of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const)
      if (!c[v]) problems.push(`${v}: required when STORAGE_DRIVER=s3`);
  } else if (production && !c.STORAGE_URL_SECRET) {
    problems.push(`STORAGE_URL_SECRET: required when ${profile} and STORAGE_DRIVER=fs (or STORAGE_URL_SECRET_FILE)`);
  }
  const trust = String(c.TRUST_PROXY ?? 'false').trim();
  if (trust === 'true')
    problems.push(
      'TRUST_PROXY: true lets every client choose its address (and rate-limit bucket) with X-Forwarded-For; give the hop count (e.g. 1) or the proxy addresses',
    );
  else if (/^\d+$/.test(trust) && Number(trust) > 10)
    problems.push(`TRUST_PROXY: ${trust} hops is not a realistic proxy chain (at most 10)`);
  else if (trust !== 'false' && trust !== '' && !/^\d+$/.test(trust)) {
    const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
    const bad = trust
      .split(',')
      .map((t) => t.trim())
      .filter((t) => !named.has(t) && !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(t));
    if (bad.length > 0)
      problems.push(
        `TRUST_PROXY: ${bad.map((b) => JSON.stringify(b)).join(', ')} is not an address, a CIDR or loopback/linklocal/uniquelocal`,
      );
  }
  if (c.INSPECTION_TIME_ZONE) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: c.INSPECTION_TIME_ZONE });
    } catch {
      problems.push(`INSPECTION_TIME_ZONE: "${c.INSPECTION_TIME_ZONE}" is not an IANA time zone`);
    }
  }
  if (c.IPFS_DRIVER === 'kubo' && !c.KUBO_RPC_URL) problems.push('KUBO_RPC_URL: required when IPFS_DRIVER=kubo');
  if (c.CHAIN_DRIVER === 'blockfrost') {
    if (!c.BLOCKFROST_PROJECT_ID)
      problems.push('BLOCKFROST_PROJECT_ID: required when CHAIN_DRIVER=blockfrost (or BLOCKFROST_PROJECT_ID_FILE)');
    if (!c.MINT_SIGNING_KEY)
      problems.push('MINT_SIGNING_KEY: required when CHAIN_DRIVER=blockfrost (or MINT_SIGNING_KEY_FILE)');
  }
  if (c.PAYMENT_DRIVER === 'xendit') {
    if (!c.XENDIT_SECRET_KEY)
      problems.push('XENDIT_SECRET_KEY: required when PAYMENT_DRIVER=xendit (or XENDIT_SECRET_KEY_FILE)');
    if (!c.PAYMENT_WEBHOOK_TOKEN)
      problems.push('PAYMENT_WEBHOOK_TOKEN: required when PAYMENT_DRIVER=xendit (or PAYMENT_WEBHOOK_TOKEN_FILE)');
  }
  // The sandbox's checkout page lets anyone holding an invoice link mark it paid.
  if (production && (c.PAYMENT_DRIVER ?? 'sandbox') === 'sandbox')
    problems.push(`PAYMENT_DRIVER: sandbox is not allowed when ${profile} (use xendit)`);
  if (production && !c.PAYMENT_WEBHOOK_TOKEN)
    problems.push(`PAYMENT_WEBHOOK_TOKEN: required when ${profile} (or PAYMENT_WEBHOOK_TOKEN_FILE)`);
  if (production && !c.PLATE_HASH_SECRET)
    problems.push(`PLATE_HASH_SECRET: required when ${profile} (or PLATE_HASH_SECRET_FILE)`);
  const target = parseTargetRange(String(c.PDF_TARGET_RANGE_MB ?? '50-100')) ?? { min: 50, max: 100 };
  if (c.PDF_TARGET_RANGE_MB && !parseTargetRange(c.PDF_TARGET_RANGE_MB))
    problems.push(`PDF_TARGET_RANGE_MB: "${c.PDF_TARGET_RANGE_MB}" must be "min-max" with min < max`);
  for (const o of corsOrigins)
    if (o !== '*' && !/^https?:\/\/[^/]+$/.test(o))
      problems.push(`CORS_ORIGINS: "${o}" is not an origin like https://app.example.com`);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    appEnv: c.APP_ENV,
    production,
    nodeEnv: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    publicBaseUrl: c.PUBLIC_BASE_URL,
    dataDir: c.DATA_DIR,
    database: {
      url: c.DATABASE_URL,
      poolMax: c.DATABASE_POOL_MAX,
      statementTimeoutMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
      embeddedPort: c.EMBEDDED_PG_PORT,
      embeddedDatabase: c.EMBEDDED_PG_DATABASE,
      embeddedSharedDir: c.EMBEDDED_PG_SHARED_DIR,
      embeddedRelocate: c.EMBEDDED_PG_RELOCATE,
    },
    logLevel: c.LOG_LEVEL,
    jwt: {
      secret: c.JWT_SECRET,
      issuer: c.JWT_ISSUER,
      audience: c.JWT_AUDIENCE,
      accessTtlSeconds: c.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlDays: c.REFRESH_TOKEN_TTL_DAYS,
    },
    argon2: { memoryCost: c.ARGON2_MEMORY_KIB, timeCost: c.ARGON2_TIME_COST, parallelism: c.ARGON2_PARALLELISM },
    http: { corsOrigins, bodyLimitKb: c.BODY_LIMIT_KB, trustProxy: parseTrustProxy(c.TRUST_PROXY) },
    rateLimit: {
      windowSeconds: c.RATE_LIMIT_WINDOW_SECONDS,
      max: c.RATE_LIMIT_MAX,
      authWindowSeconds: c.AUTH_RATE_LIMIT_WINDOW_SECONDS,
      authMax: c.AUTH_RATE_LIMIT_MAX,
      verifyMax: c.VERIFY_RATE_LIMIT_MAX,
    },
    metricsToken: c.METRICS_TOKEN,
    // Never in production: `auto` means only on a local embedded database.
    seedDemo: production ? 'false' : c.SEED_DEMO,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    inspectionTimeZone: c.INSPECTION_TIME_ZONE,
    storage: {
      driver: c.STORAGE_DRIVER,
      fsRoot: c.STORAGE_FS_ROOT ?? `${c.DATA_DIR}/objects`,
      urlSecret: c.STORAGE_URL_SECRET,
      s3: {
        endpoint: c.S3_ENDPOINT,
        region: c.S3_REGION,
        bucket: c.S3_BUCKET,
        accessKeyId: c.S3_ACCESS_KEY_ID,
        secretAccessKey: c.S3_SECRET_ACCESS_KEY,
        publicBaseUrl: c.S3_PUBLIC_BASE_URL,
      },
      multipartThresholdMB: c.STORAGE_MULTIPART_THRESHOLD_MB,
      partSizeMB: c.STORAGE_MULTIPART_PART_SIZE_MB,
      partConcurrency: c.STORAGE_MULTIPART_CONCURRENCY,
      deletionSweepSeconds: c.DELETION_SWEEP_SECONDS,
    },
    photos: {
      maxBytes: c.PHOTO_MAX_MB * 1024 * 1024,
      maxPixels: c.PHOTO_MAX_PIXELS,
      urlTtlSeconds: c.PHOTO_URL_TTL_SECONDS,
      rendition: { maxSide: c.PHOTO_RENDITION_MAX_PX, quality: c.PHOTO_RENDITION_QUALITY },
    },
    reports: {
      tokenTtlSeconds: c.REPORT_TOKEN_TTL_SECONDS,
      baseUrl: (
        c.REPORT_BASE_URL ?? `http://${c.HOST === '0.0.0.0' || c.HOST === '::' ? '127.0.0.1' : c.HOST}:${c.PORT}`
      ).replace(/\/+$/, ''),
      workerEnabled: c.WORKER_ENABLED === 'true',
      jobRetryLimit: c.REPORT_JOB_RETRY_LIMIT,
      uploadTimeoutMs: c.REPORT_UPLOAD_TIMEOUT_MS,
      jobRetryDelaySeconds: c.REPORT_JOB_RETRY_DELAY_SECONDS,
      size: {
        minRecompressMB: c.PDF_MIN_RECOMPRESS_MB,
        aggressiveMB: c.PDF_AGGRESSIVE_MB,
        targetMinMB: target.min,
        targetMaxMB: target.max,
        maxMB: c.PDF_MAX_SIZE_MB,
      },
    },
    alerts: { webhookUrl: c.ALERT_WEBHOOK_URL, quietMs: c.ALERT_QUIET_MINUTES * 60_000 },
    ipfs: {
      driver: c.IPFS_DRIVER,
      cidVersion: c.IPFS_CID_VERSION,
      kuboUrl: c.KUBO_RPC_URL,
      timeoutMs: c.IPFS_TIMEOUT_MS,
    },
    chain: {
      driver: c.CHAIN_DRIVER,
      network: c.CHAIN_NETWORK,
      blockfrostProjectId: c.BLOCKFROST_PROJECT_ID,
      blockfrostUrl: c.BLOCKFROST_URL,
      emulator: {
        blockMs: c.CHAIN_EMULATOR_BLOCK_MS,
        utxos: c.CHAIN_EMULATOR_UTXOS,
        lovelacePerUtxo: BigInt(c.CHAIN_EMULATOR_UTXO_ADA) * 1_000_000n,
      },
      timeoutMs: c.CHAIN_SUBMIT_TIMEOUT_MS,
      verifyCacheSeconds: c.VERIFY_CACHE_SECONDS,
    },
    customer: {
      scheduleHorizonDays: c.REQUEST_SCHEDULE_HORIZON_DAYS,
      createRateLimitMax: c.REQUEST_CREATE_RATE_LIMIT_MAX,
      maxVehicles: c.CUSTOMER_MAX_VEHICLES,
      maxOpenRequests: c.CUSTOMER_MAX_OPEN_REQUESTS,
      maxStoredBytes: c.CUSTOMER_MAX_STORED_MB * 1048576,
    },
    payments: {
      driver: c.PAYMENT_DRIVER,
      webhookToken: c.PAYMENT_WEBHOOK_TOKEN,
      xenditSecretKey: c.XENDIT_SECRET_KEY,
      xenditApiUrl: c.XENDIT_API_URL.replace(/\/+$/, ''),
      invoiceTtlMinutes: c.PAYMENT_INVOICE_TTL_MINUTES,
      successUrl: c.PAYMENT_SUCCESS_URL,
      failureUrl: c.PAYMENT_FAILURE_URL,
    },
    mint: {
      signingKey: c.MINT_SIGNING_KEY?.toLowerCase(),
      confirmations: c.MINT_CONFIRMATIONS,
      confirmTimeoutMs: c.MINT_CONFIRM_TIMEOUT_MS,
      pollMs: c.MINT_POLL_MS,
      stuckAlertMs: c.MINT_STUCK_ALERT_MINUTES * 60_000,
      concurrency: c.MINT_CONCURRENCY,
      retryLimit: c.MINT_JOB_RETRY_LIMIT,
      retryDelaySeconds: c.MINT_JOB_RETRY_DELAY_SECONDS,
      leaseSeconds: c.UTXO_LEASE_SECONDS,
      autoArchive: c.ARCHIVE_AUTO === 'true',
      plateHashSecret: c.PLATE_HASH_SECRET,
    },
    jobs: { heartbeatSeconds: c.JOB_HEARTBEAT_SECONDS, monitorSeconds: c.JOB_MONITOR_SECONDS },
    worker: {
      minConcurrency: c.WORKER_MIN_CONCURRENCY,
      highLoadPerCore: c.WORKER_HIGH_LOAD_PER_CORE,
      lowLoadPerCore: c.WORKER_LOW_LOAD_PER_CORE,
      minFreeMemoryMB: c.WORKER_MIN_FREE_MEMORY_MB,
      governorSeconds: c.WORKER_GOVERNOR_SECONDS,
      backlogMaxDepth: c.QUEUE_BACKLOG_ALERT_DEPTH,
      backlogMinutes: c.QUEUE_BACKLOG_ALERT_MINUTES,
    },
    breakers: {
      errorThresholdPercentage: c.BREAKER_ERROR_THRESHOLD_PERCENT,
      volumeThreshold: c.BREAKER_VOLUME_THRESHOLD,
      rollingCountTimeoutMs: c.BREAKER_WINDOW_SECONDS * 1000,
      resetTimeoutMs: c.BREAKER_RESET_SECONDS * 1000,
    },
    render: {
      chromiumPath: c.CHROMIUM_PATH,
      concurrency: c.RENDER_CONCURRENCY,
      gotoTimeoutMs: c.RENDER_GOTO_TIMEOUT_MS,
      pdfTimeoutMs: c.RENDER_PDF_TIMEOUT_MS,
      taskTimeoutMs: c.RENDER_TIMEOUT_MS,
      assetTimeoutMs: c.RENDER_ASSET_TIMEOUT_MS,
      slowAssetMs: c.RENDER_SLOW_ASSET_MS,
      attempts: c.RENDER_ATTEMPTS,
      allowedHosts: c.RENDER_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    },
  };
}

/** Loads the configuration or exits with EX_CONFIG (78) after printing every problem (entry points). */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
}
