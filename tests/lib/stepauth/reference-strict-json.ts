/**
 * A reference reader for differential tests of lib/stepauth/strict-json.ts: the parser's earlier,
 * independent implementation, which reads signed bytes character by character and builds every value
 * itself (duplicate names, lone surrogate escapes, depth and the top-level object checked as it goes).
 * The shipped parser only scans the grammar and lets JSON.parse build the value; the two must accept
 * the same texts and read the same values. Kept here, not in lib/: it is ~5× slower and exists only
 * so a mistake in the scanner cannot hide behind JSON.parse.
 */
import { StepAuthError } from "../../../lib/stepauth/errors";
import { MAX_JSON_DEPTH } from "../../../lib/stepauth/json-depth";

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

/** Reads signed bytes as the reference does; throws `malformed_request` for anything it refuses. */
export function referenceStrictJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch {
    throw malformed("not valid UTF-8");
  }
  return new StrictJsonReader(text).readDocument();
}
