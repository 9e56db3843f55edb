/**
 * What the fuzzer's requests point at: one logged-in user per role (the callers), users and resources of
 * other users (a second customer and inspector: their ids are the "foreign" ids), victims the destructive
 * operations may use up, and real tokens (render tokens, refresh tokens of a victim's sessions, dead access
 * tokens). Users are made in the test process through the real use cases (test/support/actors.ts) on the
 * same database; everything else through the API process, as a client would.
 */
import { randomUUID } from 'node:crypto';
import { LoginWithPassword } from '../../../src/application/auth/login-with-password.js';
import type { Role } from '../../../src/domain/identity/role.js';
import { Actors, PASSWORD, type TestActor } from '../actors.js';
import type { TestApp } from '../api.js';
import { imageBytes, inspectionInput } from '../inspections.js';
import { multipartBody, type Part } from './multipart.js';
import type { Pools } from './requests.js';

export interface Fixtures {
  callers: Record<Role, TestActor>;
  pools: Pools;
  /** A new user of `role`, logged in: for the operations that end the caller's sessions or change its password. */
  disposable(role: Role): Promise<TestActor>;
}

type Answer = { status: number; body: Record<string, unknown> };

/** A JSON or multipart call to the API process that must succeed (fixtures are set up, not fuzzed). */
function client(base: URL) {
  return async (
    method: string,
    path: string,
    who: TestActor | undefined,
    body?: { json?: unknown; parts?: Part[] },
    expect: number[] = [200, 201, 202, 204],
  ): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (who) headers.authorization = `Bearer ${who.token}`;
    let payload: BodyInit | undefined;
    if (body?.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body?.parts) {
      headers['content-type'] = 'multipart/form-data; boundary=fixture-boundary';
      payload = new Uint8Array(multipartBody(body.parts, 'fixture-boundary'));
    }
    const r = await fetch(new URL(`/api/v1${path}`, base), { method, headers, body: payload });
    const text = await r.text();
    const parsed =
      text && r.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!expect.includes(r.status)) throw new Error(`fixture ${method} ${path}: ${r.status} ${text.slice(0, 500)}`);
    return { status: r.status, body: parsed };
  };
}

const photoParts = (n: number, seed: number): Part[] => [
  ...Array.from({ length: n }, (_, i) => ({
    name: 'photos',
    filename: `p${i}.jpg`,
    contentType: 'image/jpeg',
    data: imageBytes('jpeg', 1024, seed + i),
  })),
  {
    name: 'metadata',
    data: JSON.stringify(
      Array.from({ length: n }, (_, i) =>
        i === 0
          ? { label: 'STNK', category: 'DOCUMENT', isDocument: true }
          : { label: `Foto ${i}`, category: 'EXTERIOR' },
      ),
    ),
  },
];

/** Fresh users for the operations that end sessions; inspectors in a branch of their own, which no request names. */
class DisposableActors extends Actors {
  override branchCity(): ReturnType<Actors['branchCity']> {
    return super.branchCity('DSP');
  }
}

export async function makeFixtures(t: TestApp, base: URL, webhookToken: string): Promise<Fixtures> {
  const actors = new Actors(t.container);
  const api = client(base);
  const callers = await actors.all();
  const { SUPERADMIN: sa, REVIEWER: reviewer, INSPECTOR: inspector, CUSTOMER: customer } = callers;

  // Other users, whose resources the callers must not reach, and victims of the user-management operations.
  const otherCustomer = await actors.create('CUSTOMER');
  const otherInspector = await actors.create('INSPECTOR');
  const victims = {
    reviewer: await actors.create('REVIEWER'),
    admin: await actors.create('ADMIN'),
    superadmin: await actors.create('SUPERADMIN'),
    inspector: await actors.create('INSPECTOR'),
    customer: await actors.create('CUSTOMER'),
  };

  // Branches (one unused, so deleting it can succeed), prices for every class, credit packages.
  const branches = [(await actors.branchCity()).id];
  for (const [name, code] of [
    ['Victim City', 'VIC'],
    ['Semarang', 'SMG'],
  ])
    branches.push(String((await api('POST', '/branch-cities', sa, { json: { name, code } })).body.id));
  for (const vehicleClass of [
    'LCGC',
    'REGULAR',
    'EXTRA',
    'LUXURY',
    'EU_US_SMALL',
    'EU_US_MEDIUM',
    'EU_US_HIGH_END',
    'HYBRID',
    'EV',
  ]) {
    await api('POST', '/admin/vehicle-class-prices', sa, { json: { vehicleClass, priceIdr: 350_000 } });
  }
  const packages: string[] = [];
  for (const [name, credits, priceIdr] of [
    ['Starter', 5, 100_000],
    ['Fleet', 50, 900_000],
  ] as const)
    packages.push(
      String((await api('POST', '/admin/credit-packages', sa, { json: { name, credits, priceIdr } })).body.id),
    );

  // Vehicles: the customer's (one of them only for deleteMyVehicle) and the other customer's.
  const vehicle = async (who: TestActor, plate: string) =>
    String(
      (
        await api('POST', '/me/vehicles', who, {
          parts: [
            {
              name: 'data',
              data: JSON.stringify({
                plateNumber: plate,
                year: 2020,
                transmission: 'Manual',
                bodyType: 'MPV',
                brand: 'Toyota',
                model: 'Avanza',
                vehicleClass: 'REGULAR',
              }),
            },
            { name: 'photoTypes', data: 'FRONT' },
            {
              name: 'photos',
              filename: 'front.jpg',
              contentType: 'image/jpeg',
              data: imageBytes('jpeg', 900, plate.length),
            },
          ],
        })
      ).body.id,
    );
  const ownVehicle = await vehicle(customer, 'AB 1 CD');
  const victimVehicle = await vehicle(customer, 'AB 2 CD');
  const foreignVehicle = await vehicle(otherCustomer, 'AB 3 CD');

  // Inspections: the inspector's, the other inspector's, one per customer linked to their vehicle, victims.
  const inspection = async (who: TestActor, over: Record<string, unknown> = {}) =>
    (await api('POST', '/inspections', who, { json: { ...inspectionInput(), ...over } })).body as {
      id: string;
      prettyId: string;
    };
  const own = [
    await inspection(inspector),
    await inspection(inspector, { plateNumber: 'B 10 XY' }),
    await inspection(inspector, { plateNumber: 'B 11 XY' }),
  ];
  const foreign = [await inspection(otherInspector), await inspection(otherInspector, { plateNumber: 'D 20 ZZ' })];
  const linked = [
    await inspection(inspector, {
      plateNumber: 'AB 1 CD',
      customerUserId: customer.user.id,
      customerVehicleId: ownVehicle,
    }),
    await inspection(otherInspector, {
      plateNumber: 'AB 3 CD',
      customerUserId: otherCustomer.user.id,
      customerVehicleId: foreignVehicle,
    }),
  ];
  const victimInspections = [
    await inspection(inspector, { plateNumber: 'F 1 V' }),
    await inspection(inspector, { plateNumber: 'F 2 V' }),
  ];

  const photos = async (id: string, n: number, seed: number) =>
    (
      (await api('POST', `/inspections/${id}/photos`, reviewer, { parts: photoParts(n, seed) })).body.items as Array<{
        id: string;
      }>
    ).map((p) => p.id);
  const photoPairs: Array<[string, string]> = [];
  for (const [k, i] of [own[0], foreign[0], linked[0]].entries())
    for (const p of await photos((i as { id: string }).id, 3, 10 * k)) photoPairs.push([(i as { id: string }).id, p]);
  const victimPhotoPairs: Array<[string, string]> = (
    await photos((victimInspections[0] as { id: string }).id, 3, 99)
  ).map((p) => [(victimInspections[0] as { id: string }).id, p]);

  // Review edits (change-log entries), one approval (a report job, queued: no worker runs), page tokens.
  const changePairs: Array<[string, string]> = [];
  for (const i of [own[1], foreign[1]] as Array<{ id: string }>) {
    const r = await api('PUT', `/inspections/${i.id}`, reviewer, {
      json: {
        vehicleData: { merekKendaraan: 'Honda' },
        overallRating: 7,
        detailedAssessment: { testDrive: { rem: 6 } },
      },
    });
    for (const c of r.body.changes as Array<{ id: string }>) changePairs.push([i.id, c.id]);
  }
  const approved = await api('POST', `/inspections/${(own[2] as { id: string }).id}/approve`, reviewer);
  const reportJobs = [String(approved.body.reportJobId)];
  const reportTargets: Pools['reportTargets'] = [];
  for (const i of [own[0], foreign[0], linked[0]] as Array<{ id: string }>) {
    const r = await api('POST', `/inspections/${i.id}/report-preview`, reviewer);
    const photoIds = photoPairs.filter(([x]) => x === i.id).map(([, p]) => p);
    for (const [variant, url] of [
      ['full', r.body.full],
      ['no-docs', r.body.noDocs],
    ] as const) {
      reportTargets.push({
        id: i.id,
        variant,
        token: new URL(String(url)).searchParams.get('token') as string,
        photoIds,
      });
    }
  }

  // Inspection requests, payments (invoices the webhook can be told about).
  const schedule = () => new Date(Date.now() + 3 * 86_400_000).toISOString();
  const request = async (who: TestActor, body: Record<string, unknown>) =>
    String(
      (await api('POST', '/me/inspection-requests', who, { json: { preferredSchedule: schedule(), ...body } })).body.id,
    );
  const ownRequests = [await request(customer, { vehicleId: ownVehicle })];
  for (const plateNumber of ['B 2 XY', 'B 3 XY', 'B 4 XY', 'B 5 XY'])
    ownRequests.push(
      await request(customer, {
        vehicleClass: 'LCGC',
        vehicleDescription: { plateNumber, brand: 'Honda', model: 'Jazz', year: 2015 },
      }),
    );
  const foreignRequests = [
    await request(otherCustomer, { vehicleId: foreignVehicle }),
    await request(otherCustomer, { vehicleClass: 'EV', vehicleDescription: { plateNumber: 'D 1 EV' } }),
  ];
  const payments: Array<{ id: string; invoiceId: string; amountIdr: number }> = [];
  payments.push((await api('POST', `/me/inspection-requests/${ownRequests[0]}/payments`, customer)).body as never);
  payments.push(
    (await api('POST', `/me/inspection-requests/${foreignRequests[0]}/payments`, otherCustomer)).body as never,
  );
  payments.push(
    (await api('POST', '/me/credit-purchases', customer, { json: { packageId: packages[0] } })).body as never,
  );

  // Tokens: refresh tokens of a victim's sessions (reusing one revokes only that session), dead access tokens.
  const login = t.container.get(LoginWithPassword);
  const client_ = { userAgent: 'fuzz', ip: '127.0.0.1' };
  // A customer of its own for logins and refreshes: no user-management request names it (so its sessions
  // are not revoked by a role change), and a reused refresh token revokes only its session.
  const refresher = await actors.create('CUSTOMER');
  const refreshTokens: string[] = [];
  for (let k = 0; k < 6; k++)
    refreshTokens.push(
      (await login.execute({ identifier: refresher.user.email as string, password: PASSWORD, client: client_ }))
        .refreshToken,
    );
  const loggedOut = await actors.create('REVIEWER');
  await api('POST', '/auth/logout', loggedOut);
  const deactivated = await actors.create('CUSTOMER');
  await api('POST', `/admin/users/${deactivated.user.id}/deactivate`, sa);
  const tampered = `${sa.token.slice(0, -3)}${sa.token.endsWith('AAA') ? 'BBB' : 'AAA'}`;

  const everyone = [...Object.values(callers), otherCustomer, otherInspector, ...Object.values(victims)];
  const pools: Pools = {
    ids: {
      users: everyone.map((a) => a.user.id),
      manageableUsers: [otherCustomer, otherInspector, ...Object.values(victims)].map((a) => a.user.id),
      customers: [customer, otherCustomer, victims.customer].map((a) => a.user.id),
      branches,
      inspections: [...own, ...foreign, ...linked].map((i) => i.id),
      victimInspections: victimInspections.map((i) => i.id),
      photos: photoPairs.map(([, p]) => p),
      changes: changePairs.map(([, c]) => c),
      reportJobs,
      vehicles: [ownVehicle, foreignVehicle],
      victimVehicles: [victimVehicle, foreignVehicle],
      requests: [...ownRequests, ...foreignRequests],
      packages,
      payments: payments.map((p) => p.id),
    },
    photoPairs,
    victimPhotoPairs,
    changePairs,
    foreign: [
      foreignVehicle,
      ...foreignRequests,
      ...foreign.map((i) => i.id),
      (linked[1] as { id: string }).id,
      otherCustomer.user.id,
      otherInspector.user.id,
      (payments[1] as { id: string }).id,
    ],
    reportTargets,
    prettyIds: [...own, ...foreign, ...linked].map((i) => i.prettyId),
    invoiceIds: payments.map((p) => p.invoiceId),
    amounts: [...payments.map((p) => p.amountIdr), 0, 1],
    loginEmails: [
      refresher.user.email as string,
      victims.customer.user.email as string,
      victims.reviewer.user.email as string,
      `nobody-${randomUUID().slice(0, 8)}@example.com`,
    ],
    loginPassword: PASSWORD,
    inspectorEmails: [victims.inspector.user.email as string],
    inspectorPins: [victims.inspector.secret, '000000'],
    refreshTokens,
    currentPassword: PASSWORD,
    webhookToken,
    deadTokens: [loggedOut.token, deactivated.token, tampered],
    goodBodies: {},
  };
  const later = new Date(Date.now() + 10 * 86_400_000).toISOString();
  const description = { plateNumber: 'B 9 XY', brand: 'Honda', model: 'Jazz', year: 2015 };
  pools.goodBodies = {
    createInspection: [
      inspectionInput(),
      inspectionInput({ plateNumber: 'AB 1 CD', customerUserId: customer.user.id, customerVehicleId: ownVehicle }),
    ],
    reviewInspection: [
      { vehicleData: { merekKendaraan: 'Honda', odometer: 50_000 }, overallRating: 8 },
      {
        detailedAssessment: { testDrive: { rem: 7, catatan: 'ok' } },
        bodyPaintThickness: { front: 100, rear: { bumper: 90 } },
        equipmentChecklist: { dongkrak: true },
      },
    ],
    updateMyVehicle: [
      {
        colour: 'Silver',
        specification: { engineCc: 1500, fuel: 'Bensin' },
        serviceHistory: [{ date: '2025-06-01', odometerKm: 1000, description: 'Oil change', workshop: 'Bengkel' }],
      },
      { plateNumber: 'ab 7 cd', model: 'Avanza G' },
    ],
    createMyInspectionRequest: [
      { vehicleId: ownVehicle, preferredSchedule: later, notes: 'Please call first' },
      { vehicleClass: 'LCGC', vehicleDescription: description, preferredSchedule: later, notes: 'Garage B' },
    ],
    createCustomerInspection: [
      {
        customerId: customer.user.id,
        vehicleClass: 'REGULAR',
        vehicleDescription: description,
        preferredSchedule: later,
        notes: 'By phone',
      },
      { customerId: customer.user.id, vehicleId: ownVehicle, preferredSchedule: later },
    ],
    // Not CANCELLED or DONE (final: every later request on it would only be 409).
    changeCustomerInspectionStatus: [
      { status: 'ON_HOLD', reason: 'Customer unreachable' },
      { status: 'NOT_STARTED' },
      { status: 'IN_PROGRESS' },
    ],
    waiveCustomerInspectionPayment: [{ reason: 'Fleet customer, invoiced monthly' }],
    cancelMyInspectionRequest: [{ reason: 'I sold the car' }, {}],
    assignCustomerInspection: [{ assigneeId: inspector.user.id }, { assigneeId: callers.ADMIN.user.id }],
    linkCustomerInspectionResult: [
      { inspectionId: (linked[0] as { id: string }).id },
      { inspectionId: (own[0] as { id: string }).id },
    ],
    revertInspection: [
      { to: 'NEED_REVIEW', reason: 'Wrong odometer reading' },
      { to: 'APPROVED', reason: 'Mint again please' },
    ],
    bulkApproveInspections: [{ ids: [...own, ...foreign].map((i) => i.id) }],
    receivePaymentWebhook: payments.flatMap((p) => [
      {
        id: p.invoiceId,
        external_id: p.id,
        status: 'PAID',
        amount: p.amountIdr,
        paid_amount: p.amountIdr,
        currency: 'IDR',
        paid_at: new Date().toISOString(),
        payer_email: 'budi@example.com',
        payment_method: 'BANK_TRANSFER',
      },
      { id: p.invoiceId, external_id: p.id, status: 'EXPIRED', amount: p.amountIdr, currency: 'IDR' },
    ]),
    setVehicleClassPrice: [
      { vehicleClass: 'LUXURY', priceIdr: 1_250_000, effectiveFrom: later, note: 'New price list' },
      { vehicleClass: 'EV', priceIdr: 500_000 },
    ],
    createCreditPackage: [
      { name: 'Promo', credits: 3, priceIdr: 50_000 },
      { name: 'Hidden', credits: 1, priceIdr: 20_000, active: false },
    ],
    updateCreditPackage: [{ priceIdr: 90_000, active: true }, { name: 'Renamed' }],
    purchaseCredits: [{ packageId: packages[0] }],
    unlockReport: [
      { prettyId: (foreign[0] as { prettyId: string }).prettyId },
      { prettyId: (linked[0] as { prettyId: string }).prettyId },
    ],
    updatePhoto: [
      { label: 'Tampak depan', needAttention: true, category: 'EXTERIOR' },
      { isDocument: true, displayInPdf: false },
    ],
    reorderPhotos: [],
    createStaffUser: [
      { email: `staff-${randomUUID().slice(0, 8)}@example.com`, name: 'Staff', password: PASSWORD, role: 'REVIEWER' },
    ],
    createInspector: [
      { email: `insp-${randomUUID().slice(0, 8)}@example.com`, name: 'Inspector', branchCityId: branches[0] },
    ],
    changeUserRole: [{ role: 'REVIEWER' }, { role: 'INSPECTOR', branchCityId: branches[0] }, { role: 'CUSTOMER' }],
    createBranchCity: [{ name: 'Bandung', code: 'BDG' }],
    updateBranchCity: [{ name: 'Renamed City' }],
    updateMe: [{ name: 'New Name' }, { username: `user_${randomUUID().slice(0, 6)}` }],
    changePassword: [{ currentPassword: PASSWORD, newPassword: 'another-long-password-2' }],
    registerCustomer: [{ email: `reg-${randomUUID().slice(0, 8)}@example.com`, name: 'Budi', password: PASSWORD }],
    login: [
      { identifier: refresher.user.email, password: PASSWORD },
      { email: victims.reviewer.user.email, password: PASSWORD },
    ],
    loginInspector: [{ email: victims.inspector.user.email, pin: victims.inspector.secret }],
    refreshToken: refreshTokens.map((refreshToken) => ({ refreshToken })),
    verifyReport: [{ sha256: 'ab'.repeat(32) }],
  };
  const spare = new DisposableActors(t.container);
  await spare.branchCity();
  return { callers, pools, disposable: (role) => spare.create(role) };
}
