import { describe, expect, it } from "vitest";
import type { ImageHosting } from "../lib/backend";
import { bucketForm, connectInput, connectionForm, folderForm, hostingKind, s3HostingInput } from "./forms";

describe("the connection form", () => {
  it("shows the saved ids and never a token", () => {
    const form = connectionForm({ catalogId: "123", wabaId: null, phoneNumberId: "456", token: "keychain" });
    expect(form).toEqual({ catalogId: "123", token: "", wabaId: "", phoneNumberId: "456" });
  });

  it("sends blank optional ids as none, and a blank token to keep the saved one", () => {
    expect(connectInput({ catalogId: "123", token: "  ", wabaId: " ", phoneNumberId: " 456 " })).toEqual({
      catalogId: "123",
      token: null,
      wabaId: null,
      phoneNumberId: "456",
    });
  });

  it("sends a token exactly as pasted", () => {
    expect(connectInput({ catalogId: "1", token: " EAAtoken ", wabaId: "", phoneNumberId: "" }).token, "a token is not trimmed").toBe(" EAAtoken ");
  });
});

describe("the photo hosting forms", () => {
  const folder: ImageHosting = { publicBaseUrl: "https://fotos.example", folder: null, bucket: null };
  const bucket: ImageHosting = {
    publicBaseUrl: "https://cdn.example",
    folder: null,
    bucket: { endpoint: null, region: "auto", bucket: "fotos", prefix: null, accessKeyId: "AKIA" },
  };

  it("open on the kind that is saved", () => {
    expect(hostingKind(folder)).toBe("folder");
    expect(hostingKind(bucket)).toBe("bucket");
  });

  it("show the saved folder, and the saved bucket without its secret", () => {
    expect(folderForm(folder)).toEqual({ url: "https://fotos.example", folder: "" });
    expect(bucketForm(folder), "no bucket saved: the bucket form keeps what was typed").toBeNull();
    expect(bucketForm(bucket)).toEqual({
      url: "https://cdn.example",
      endpoint: "",
      region: "auto",
      bucket: "fotos",
      prefix: "",
      accessKeyId: "AKIA",
      secretKey: "",
    });
  });

  it("send a bucket trimmed, blank optional fields as none and a blank secret to keep the saved one", () => {
    const input = s3HostingInput({
      url: "https://cdn.example",
      endpoint: " ",
      region: " auto ",
      bucket: " fotos ",
      prefix: "",
      accessKeyId: " AKIA ",
      secretKey: "",
    });
    expect(input).toEqual({
      publicBaseUrl: "https://cdn.example",
      bucket: { endpoint: null, region: "auto", bucket: "fotos", prefix: null, accessKeyId: "AKIA" },
      secretKey: null,
    });
  });
});
