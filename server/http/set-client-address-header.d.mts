import type { IncomingMessage } from "node:http";

export const CLIENT_ADDRESS_HEADER: "x-srcwatch-client-ip";
export const UNKNOWN_CLIENT_ADDRESS: "unknown";
export function markClientAddressHeaderTrusted(): void;
export function isClientAddressHeaderTrusted(): boolean;
export type TrustProxy = (address: string, hopIndex: number) => boolean;
export function parseTrustedProxies(value: string | undefined): string[];
export function compileTrustedProxies(value: string | undefined): TrustProxy;
export function setClientAddressHeader(request: IncomingMessage, trust: TrustProxy): string;
