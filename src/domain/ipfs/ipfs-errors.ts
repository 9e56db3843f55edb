import { DomainError } from '../shared/domain-error.js';

/** Errors every Ipfs adapter translates its failures into. */
export const IpfsErrors = {
  notFound: (cid: string) => new DomainError('IPFS.NOT_FOUND', 'not_found', `No content for ${cid} on this IPFS node.`),
  invalidCid: (cid: string) => new DomainError('IPFS.INVALID_CID', 'validation', `Not a CID: ${JSON.stringify(cid)}.`),
  /** The node did not answer or failed; retrying later may succeed. */
  unavailable: (detail: string) => new DomainError('IPFS.UNAVAILABLE', 'unavailable', `IPFS is unavailable: ${detail}`),
};
