import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signEnvelope, verifyEnvelope } from "../../../lib/stepauth/envelope";
import { MAX_JSON_DEPTH } from "../../../lib/stepauth/json-depth";
import { parseStrictJsonObject } from "../../../lib/stepauth/strict-json";
import { referenceStrictJsonObject } from "./reference-strict-json";
import { vectors } from "../../fixtures/vectors";
import { codeOf } from "./stepauth-code";

const authorizer = vectors.keys.authorizer;
const authTrusted = [{ keyId: authorizer.keyId, publicKey: authorizer.publicKey }];
const utf8 = (text: string) => new TextEncoder().encode(text);
const nested = (levels: number) => `{"a":${"[".repeat(levels - 1)}1${"]".repeat(levels - 1)}}`;

describe("vectors: mustRejectAfterVerify", () => {
  const cases = Object.entries(vectors.mustRejectAfterVerify).filter(([name]) => name !== "about");

  it("has vectors to check", () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases)("rejects %s with malformed_request although its signature is valid", (_name, envelope) => {
    expect(codeOf(() => verifyEnvelope(envelope, authTrusted))).toBe("malformed_request");
  });
});

describe("parseStrictJsonObject", () => {
  it("reads what JSON.parse reads for ordinary JSON", () => {
    const texts = [
      JSON.stringify(vectors.decision.payload),
      JSON.stringify(vectors.authorizationRequest.payload),
      '{ "a" : [1, -2.5e3, 0, true, false, null, "x\\n\\u00e9\\ud83d\\ude00\\/"], "b": {}, "c": [] }',
      '{"__proto__": {"polluted": true}}',
    ];
    for (const text of texts) expect(parseStrictJsonObject(utf8(text))).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(parseStrictJsonObject(utf8('{"__proto__":{"x":1}}')))).toBe(Object.prototype);
  });

  it("accepts nesting up to the limit and refuses one level more", () => {
    expect(() => parseStrictJsonObject(utf8(nested(MAX_JSON_DEPTH)))).not.toThrow();
    expect(codeOf(() => parseStrictJsonObject(utf8(nested(MAX_JSON_DEPTH + 1))))).toBe("malformed_request");
    expect(codeOf(() => parseStrictJsonObject(utf8(nested(100_000))))).toBe("malformed_request");
  });

  it.each([
    ["a duplicate member name", '{"decision":"denied","decision":"approved"}'],
    ["a duplicate spelled with an escape", '{"decision":"denied","d\\u0065cision":"approved"}'],
    ["a duplicate deep inside", '{"reviewers":[{"type":"human","type":"agent"}]}'],
    ["a lone high surrogate", '{"reason":"\\ud800"}'],
    ["a lone low surrogate", '{"reason":"\\udc00x"}'],
    ["a high surrogate followed by a non-surrogate", '{"reason":"\\ud800\\u0041"}'],
    ["an array on top", '["approved"]'],
    ["a string on top", '"approved"'],
    ["trailing text", '{"a":1} {"a":2}'],
    ["a trailing comma", '{"a":1,}'],
    ["a leading zero", '{"a":01}'],
    ["a raw control character", '{"a":"x\ny"}'],
    ["a byte order mark", '\ufeff{"a":1}'],
    ["an unterminated string", '{"a":"x'],
    ["an empty document", ""],
  ])("refuses %s", (_label, text) => {
    expect(codeOf(() => parseStrictJsonObject(utf8(text)))).toBe("malformed_request");
  });

  it("refuses invalid UTF-8 and an encoded surrogate", () => {
    expect(
      codeOf(() => parseStrictJsonObject(Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))),
    ).toBe("malformed_request");
    expect(
      codeOf(() =>
        parseStrictJsonObject(Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])),
      ),
    ).toBe("malformed_request");
  });

  it("is what verifyEnvelope uses: a validly signed duplicate is malformed_request, not a decision", () => {
    const bytes = utf8(
      '{"requestId":"req_a1b2c3d4e5f6a7b8c9d0","spId":"sp_acme_mdm","decision":"denied","decision":"approved","timestamp":"2026-02-18T14:41:07Z"}',
    );
    const envelope = signEnvelope(bytes, [{ keyId: authorizer.keyId, privateKey: authorizer.privateKey }]);
    expect(codeOf(() => verifyEnvelope(envelope, authTrusted))).toBe("malformed_request");
  });
});

// The scanner checks the grammar and JSON.parse builds the value. Compared with JSON.parse alone, a
// mistake in the scanner could hide (the parser returns what JSON.parse reads); so each property compares
// it with an independent reference reader (the earlier implementation, which builds every value itself):
// both must refuse the same texts, with malformed_request only, and read the same values.
describe("parseStrictJsonObject against an independent reference reader", () => {
  const readWith = (parse: (bytes: Uint8Array) => Record<string, unknown>, text: string) => {
    let value: unknown;
    const code = codeOf(() => (value = parse(utf8(text))));
    return code === undefined ? { value } : { code };
  };
  const agree = (text: string) => {
    const ours = readWith(parseStrictJsonObject, text);
    expect(ours).toEqual(readWith(referenceStrictJsonObject, text));
    if ("code" in ours) expect(ours.code).toBe("malformed_request");
    return ours;
  };
  const seeds = [
    JSON.stringify(vectors.decision.payload),
    JSON.stringify(vectors.authorizationRequest.payload, null, 2),
    '{ "a" : [1, -2.5e3, 0, true, false, null, "x\\n\\u00e9\\ud83d\\ude00\\/"], "b": {}, "c": [] }',
  ];

  it("reads any JSON object as the reference does", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: "binary" }), fc.jsonValue({ maxDepth: 6 })),
        fc.boolean(),
        (object, pretty) => {
          agree(JSON.stringify(object, null, pretty ? 2 : undefined));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("refuses a member name repeated at any depth, however it is spelled", () => {
    // Every character of the name may be written as a \u escape: the same name to JSON.parse.
    const spell = (name: string, escapes: boolean[]) =>
      [...name]
        .map((char, i) =>
          escapes[i % Math.max(1, escapes.length)]
            ? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`
            : JSON.stringify(char).slice(1, -1),
        )
        .join("");
    fc.assert(
      fc.property(
        fc.string({ minLength: 0, maxLength: 6 }),
        fc.array(fc.boolean(), { maxLength: 6 }),
        fc.integer({ min: 0, max: 8 }),
        fc.jsonValue({ maxDepth: 2 }),
        (name, escapes, depth, value) => {
          const twice = `{"${JSON.stringify(name).slice(1, -1)}":${JSON.stringify(value)},"${spell(name, escapes)}":1}`;
          let text = twice;
          for (let level = 0; level < depth; level += 1) text = level % 2 ? `{"x":${text}}` : `{"y":[0,${text}]}`;
          expect(agree(text)).toEqual({ code: "malformed_request" });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("accepts a mutated text only as the reference does, and refuses everything else with malformed_request", () => {
    const alphabet = [...'{}[]",:\\ \t\n0123456789-+.eEtrufalsnu\u00e9\u0001x'];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom("insert", "replace", "delete")), {
          minLength: 1,
          maxLength: 3,
        }),
        (seed, edits) => {
          let text = seed;
          for (const [position, char, kind] of edits) {
            const at = position % (text.length + 1);
            text =
              kind === "insert"
                ? text.slice(0, at) + char + text.slice(at)
                : kind === "replace"
                  ? text.slice(0, at) + char + text.slice(at + 1)
                  : text.slice(0, at) + text.slice(at + 1);
          }
          agree(text);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
