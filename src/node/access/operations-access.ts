/**
 * Who may read the node's operational surfaces — `/metrics` and
 * `/v1/doctor`, which describe the deployment rather than facts: any
 * process on this machine (a local scraper or health check), and from
 * elsewhere only a caller holding `admin` (protocol.md §7).
 *
 * @module
 */
import { isLoopbackHost } from "../../config.js";
import { requirePermission, type Principal } from "../principal.js";

/**
 * @param remoteAddress the peer address of the connection (not a header a client could set)
 * @throws AppError permission_denied for a remote caller without `admin`
 */
export function requireOperationsAccess(principal: Principal, remoteAddress: string): void {
  if (!isLoopbackHost(remoteAddress)) requirePermission(principal, "admin");
}
