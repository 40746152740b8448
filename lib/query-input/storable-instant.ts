import { z } from "zod";

// The latest instant whose UTC form still has a four-digit year (PostgreSQL's text input takes it).
const LAST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

/**
 * A client's date-time that reaches SQL as a `timestamptz`: ISO 8601 with an offset, AND an instant
 * PostgreSQL holds the way it is sent (`toISOString()`), 1970–9999 in UTC like the cursors
 * (decodeAuditCursor, decodeCursor) and decision timestamps (decisions.ts). The ISO shape alone admits
 * year 0000, `0001-01-01T00:00:00+14:00` (year 0 in UTC) and `9999-12-31T23:59:59-01:00` (year 10000
 * in UTC): the cast would fail, and a 500 is never the answer to bad input. Parsed to a Date.
 */
export const storableInstantSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .refine((date) => {
    const millis = date.getTime();
    return Number.isFinite(millis) && millis >= 0 && millis <= LAST_INSTANT;
  }, "must be an instant from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z");
