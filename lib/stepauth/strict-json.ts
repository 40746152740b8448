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
// Sticky patterns: each matches at the reader's offset only.
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
const HEX_UNIT = /[0-9a-fA-F]{4}/y;
const SIMPLE_ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const LITERALS = ["true", "false", "null"] as const;

function malformed(message: string): StepAuthError {
  return new StepAuthError("malformed_request", `signed payload: ${message}`);
}

/**
 * Checks the text against the strict grammar without building any value: member names are the only
 * strings it reads (to find duplicates), and runs of plain characters are skipped by one sticky match.
 * What it accepts, `JSON.parse` reads alike (no duplicate names, no lone surrogates), so the value
 * itself is then built by the native parser: a few µs for a 2 KiB payload, against ~20 µs character
 * by character.
 */
class StrictJsonScanner {
  private at = 0;
  constructor(private readonly text: string) {}

  checkDocument(): void {
    this.skipSpace();
    if (this.text[this.at] !== "{") throw malformed("must be a JSON object");
    this.checkValue(1);
    this.skipSpace();
    if (this.at !== this.text.length) throw malformed("unexpected text after the JSON value");
  }

  private skipSpace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.at);
      if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return;
      this.at += 1;
    }
  }

  private expect(char: string): void {
    if (this.text[this.at] !== char) throw malformed(`expected '${char}' at offset ${this.at}`);
    this.at += 1;
  }

  private checkValue(depth: number): void {
    this.skipSpace();
    const char = this.text[this.at];
    if (char === "{" || char === "[") {
      if (depth > MAX_JSON_DEPTH) throw malformed(`nests deeper than ${MAX_JSON_DEPTH} levels`);
      return char === "{" ? this.checkObject(depth) : this.checkArray(depth);
    }
    if (char === '"') return void this.checkString();
    for (const word of LITERALS) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return;
      }
    }
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match || match[0].length === 0) throw malformed(`unexpected character at offset ${this.at}`);
    this.at += match[0].length;
  }

  private checkObject(depth: number): void {
    this.expect("{");
    this.skipSpace();
    if (this.text[this.at] === "}") {
      this.at += 1;
      return;
    }
    const names = new Set<string>();
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') throw malformed(`expected a member name at offset ${this.at}`);
      const start = this.at;
      const escaped = this.checkString();
      const raw = this.text.slice(start + 1, this.at - 1);
      // Compared after unescaping: "a" and "\u0061" are the same name.
      const name = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
      if (names.has(name)) throw malformed(`duplicate member name ${JSON.stringify(name)}`);
      names.add(name);
      this.skipSpace();
      this.expect(":");
      this.checkValue(depth + 1);
      this.skipSpace();
      if (this.text[this.at] === "}") {
        this.at += 1;
        return;
      }
      this.expect(",");
    }
  }

  private checkArray(depth: number): void {
    this.expect("[");
    this.skipSpace();
    if (this.text[this.at] === "]") {
      this.at += 1;
      return;
    }
    for (;;) {
      this.checkValue(depth + 1);
      this.skipSpace();
      if (this.text[this.at] === "]") {
        this.at += 1;
        return;
      }
      this.expect(",");
    }
  }

  /** Checks a string from its opening quote to past its closing one; true when it holds an escape. */
  private checkString(): boolean {
    this.expect('"');
    let escaped = false;
    for (;;) {
      PLAIN_RUN.lastIndex = this.at;
      PLAIN_RUN.exec(this.text);
      this.at = PLAIN_RUN.lastIndex;
      const char = this.text[this.at];
      if (char === undefined) throw malformed("unterminated string");
      this.at += 1;
      if (char === '"') return escaped;
      if (char !== "\\") throw malformed("control character in a string");
      escaped = true;
      const escape = this.text[this.at];
      this.at += 1;
      if (escape !== "u") {
        if (escape === undefined || !SIMPLE_ESCAPES.has(escape)) throw malformed("invalid escape in a string");
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
      }
    }
  }

  private readHexUnit(): number {
    HEX_UNIT.lastIndex = this.at;
    if (!HEX_UNIT.test(this.text)) throw malformed("invalid \\u escape");
    const unit = Number.parseInt(this.text.slice(this.at, this.at + 4), 16);
    this.at += 4;
    return unit;
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
  new StrictJsonScanner(text).checkDocument();
  // The scanner accepted only what JSON.parse reads alike; JSON.parse defines "__proto__" as data.
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Unreachable if the scanner is right; if not, still a refusal, never another error.
    throw malformed("not valid JSON");
  }
}
