// The Sync view's forms as plain data: filled from what is saved (never a token or a secret),
// and turned into what the back end takes (blank optional fields become `null`).
import type { ConnectInput, ImageHosting, MetaConnection, S3HostingInput } from "../lib/backend";

export interface ConnectionForm {
  catalogId: string;
  token: string;
  wabaId: string;
  phoneNumberId: string;
}

export const emptyConnectionForm = (): ConnectionForm => ({ catalogId: "", token: "", wabaId: "", phoneNumberId: "" });

/** The saved ids, with the token field empty: a token is never shown again. */
export const connectionForm = (connection: MetaConnection): ConnectionForm => ({
  catalogId: connection.catalogId,
  token: "",
  wabaId: connection.wabaId ?? "",
  phoneNumberId: connection.phoneNumberId ?? "",
});

/** An empty token keeps the one in the keychain. */
export const connectInput = (form: ConnectionForm): ConnectInput => ({
  catalogId: form.catalogId,
  token: form.token.trim() === "" ? null : form.token,
  wabaId: form.wabaId.trim() || null,
  phoneNumberId: form.phoneNumberId.trim() || null,
});

export type HostingKind = "folder" | "bucket";

export interface FolderForm {
  url: string;
  folder: string;
}

export interface BucketForm {
  url: string;
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  accessKeyId: string;
  secretKey: string;
}

export const emptyBucketForm = (): BucketForm => ({
  url: "",
  endpoint: "",
  region: "",
  bucket: "",
  prefix: "",
  accessKeyId: "",
  secretKey: "",
});

export const hostingKind = (hosting: ImageHosting): HostingKind => (hosting.bucket ? "bucket" : "folder");

export const folderForm = (hosting: ImageHosting): FolderForm => ({ url: hosting.publicBaseUrl, folder: hosting.folder ?? "" });

/** The saved bucket, with the secret field empty; `null` when photos go to a folder. */
export function bucketForm(hosting: ImageHosting): BucketForm | null {
  const b = hosting.bucket;
  if (!b) return null;
  return {
    url: hosting.publicBaseUrl,
    endpoint: b.endpoint ?? "",
    region: b.region,
    bucket: b.bucket,
    prefix: b.prefix ?? "",
    accessKeyId: b.accessKeyId,
    secretKey: "",
  };
}

/** An empty secret keeps the one in the keychain. */
export const s3HostingInput = (form: BucketForm): S3HostingInput => ({
  publicBaseUrl: form.url,
  bucket: {
    endpoint: form.endpoint.trim() || null,
    region: form.region.trim(),
    bucket: form.bucket.trim(),
    prefix: form.prefix.trim() || null,
    accessKeyId: form.accessKeyId.trim(),
  },
  secretKey: form.secretKey === "" ? null : form.secretKey,
});
