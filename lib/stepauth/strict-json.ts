/**
 * The one parser for signed bytes (PROTOCOL.md, "Strict parsing of signed bytes"). `JSON.parse`
 * keeps the last of two equal member names while other parsers keep the first, so the same signed
 * bytes could read as a denial to one verifier and an approval to another. This parser accepts
 * exactly the JSON that every parser reads alike: valid UTF-8, no duplicate member names at any
 * depth, no lone surrogate escapes, nesting at most {@link MAX_JSON_DEPTH}, and an object on top.
 */
import { StepAuthError } from "./errors";
import { MAX_JSON_DEPTH } from "./json-depth";

const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function malformed(message: string): StepAuthError {
  return new StepAuthError("malformed_request", `signed payload: ${message}`);
}

class StrictJsonReader {
  private at = 0;
  constructor(private readonly text: string) {}

  readDocument(): Record<string, unknown> {
    this.skipSpace();
    if (this.text[this.at] !== "{") throw malformed("must be a JSON object");
    const value = this.readValue(1);
    this.skipSpace();
    if (this.at !== this.text.length) throw malformed("unexpected text after the JSON value");
    return value as Record<string, unknown>;
  }

  private skipSpace(): void {
    while (this.at < this.text.length && " \t\n\r".includes(this.text[this.at]!)) this.at += 1;
  }

  private expect(char: string): void {
    if (this.text[this.at] !== char) throw malformed(`expected '${char}' at offset ${this.at}`);
    this.at += 1;
  }

  private readValue(depth: number): unknown {
    this.skipSpace();
    const char = this.text[this.at];
    if (char === "{" || char === "[") {
      if (depth > MAX_JSON_DEPTH) throw malformed(`nests deeper than ${MAX_JSON_DEPTH} levels`);
      return char === "{" ? this.readObject(depth) : this.readArray(depth);
    }
    if (char === '"') return this.readString();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match || match[0].length === 0) throw malformed(`unexpected character at offset ${this.at}`);
    this.at += match[0].length;
    return Number(match[0]);
  }

  private readObject(depth: number): Record<string, unknown> {
    this.expect("{");
    const object: Record<string, unknown> = {};
    const names = new Set<string>();
    this.skipSpace();
    if (this.text[this.at] === "}") {
      this.at += 1;
      return object;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') throw malformed(`expected a member name at offset ${this.at}`);
      const name = this.readString();
      // Compared after unescaping: "a" and "\u0061" are the same name.
      if (names.has(name)) throw malformed(`duplicate member name ${JSON.stringify(name)}`);
      names.add(name);
      this.skipSpace();
      this.expect(":");
      // defineProperty, like JSON.parse: a "__proto__" member is data, never the prototype.
      Object.defineProperty(object, name, {
        value: this.readValue(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      if (this.text[this.at] === "}") {
        this.at += 1;
        return object;
      }
      this.expect(",");
    }
  }

  private readArray(depth: number): unknown[] {
    this.expect("[");
    const array: unknown[] = [];
    this.skipSpace();
    if (this.text[this.at] === "]") {
      this.at += 1;
      return array;
    }
    for (;;) {
      array.push(this.readValue(depth + 1));
      this.skipSpace();
      if (this.text[this.at] === "]") {
        this.at += 1;
        return array;
      }
      this.expect(",");
    }
  }

  private readString(): string {
    this.expect('"');
    let out = "";
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) throw malformed("unterminated string");
      this.at += 1;
      if (char === '"') return out;
      if (char < " ") throw malformed("control character in a string");
      if (char !== "\\") {
        out += char;
        continue;
      }
      const escape = this.text[this.at];
      this.at += 1;
      if (escape !== "u") {
        const decoded = escape === undefined ? undefined : ESCAPES[escape];
        if (decoded === undefined) throw malformed("invalid escape in a string");
        out += decoded;
        continue;
      }
      const unit = this.readHexUnit();
      if (unit >= 0xdc00 && unit <= 0xdfff) throw malformed("lone low surrogate escape");
      if (unit >= 0xd800 && unit <= 0xdbff) {
        if (this.text[this.at] !== "\\" || this.text[this.at + 1] !== "u")
          throw malformed("lone high surrogate escape");
        this.at += 2;
        const low = this.readHexUnit();
        if (low < 0xdc00 || low > 0xdfff) throw malformed("lone high surrogate escape");
        out += String.fromCharCode(unit, low);
      } else out += String.fromCharCode(unit);
    }
  }

  private readHexUnit(): number {
    const hex = this.text.slice(this.at, this.at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw malformed("invalid \\u escape");
    this.at += 4;
    return Number.parseInt(hex, 16);
  }
}

/**
 * Parses signed payload bytes strictly; throws `malformed_request` for anything two JSON parsers
 * could read differently, or that is not a JSON object. Never throws any other error.
 *
 * @example
 * ```ts
 * parseStrictJsonObject(new TextEncoder().encode('{"decision":"approved"}')); // { decision: "approved" }
 * parseStrictJsonObject(new TextEncoder().encode('{"a":1,"a":2}')); // throws malformed_request
 * ```
 */
export function parseStrictJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch {
    throw malformed("not valid UTF-8");
  }
  return new StrictJsonReader(text).readDocument();
}
