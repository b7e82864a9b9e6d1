// Reading a Wasm module's binary format, for the build and listing scripts (scripts/short-names.mjs,
// scripts/wasm-functions.mjs): unsigned LEB128 numbers, names, import descriptions and the sections.

/** A reader over `bytes` from offset `start` (8: after the magic number and version). */
export function reader(bytes, start = 8) {
  let pos = start;
  const r = {
    uleb() {
      let result = 0;
      let shift = 0;
      for (;;) {
        const b = bytes[pos++];
        result += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if ((b & 0x80) === 0) return result;
      }
    },
    name() {
      const len = r.uleb();
      const s = bytes.toString('utf8', pos, pos + len);
      pos += len;
      return s;
    },
    byte: () => bytes[pos++],
    at: () => pos,
    seek: (p) => {
      pos = p;
    },
    /** Skips an import's description (after its two names); returns its kind (0: a function). */
    importDesc() {
      const kind = bytes[pos++];
      if (kind === 0) r.uleb();
      else if (kind === 1) {
        pos++;
        if (r.uleb() & 1) r.uleb();
        r.uleb();
      } else if (kind === 2) {
        if (r.uleb() & 1) r.uleb();
        r.uleb();
      } else if (kind === 3) pos += 2;
      else if (kind === 4) {
        pos++;
        r.uleb();
      }
      return kind;
    },
  };
  return r;
}

/** Calls `each(id, start, end, r)` for every section, with `r` positioned at the section's start. */
export function sections(bytes, each) {
  const r = reader(bytes);
  while (r.at() < bytes.length) {
    const id = r.byte();
    const size = r.uleb();
    const start = r.at();
    each(id, start, start + size, r);
    r.seek(start + size);
  }
}
