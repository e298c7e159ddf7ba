/*
 * patches/cassandra-driver+4.10.0.patch makes the driver's FrameWriter write a request into
 * one growing buffer instead of a Buffer per length prefix and value concatenated at the end
 * (README, "Driver settings and why"). Every request the apps send goes through it, so its
 * frames must be byte for byte what the protocol says: checked here against an independent
 * writer built from the protocol spec's rules, over random sequences of every write the
 * driver makes.
 */
import fc from 'fast-check';
import { types } from 'cassandra-driver';

interface FrameWriter {
  readonly bodyLength: number;
  writeByte(value: number): void;
  writeShort(value: number): void;
  writeInt(value: number): void;
  writeLong(value: types.Long): void;
  writeBytes(value: Buffer | null | typeof types.unset): void;
  writeShortBytes(value: Buffer): void;
  writeString(value: string): void;
  writeLString(value: string): void;
  writeStringList(values: string[]): void;
  writeStringMap(map: Record<string, string>): void;
  writeCustomPayload(payload: Record<string, Buffer>): void;
  write(version: number, streamId: number, flags?: number): Buffer;
}

// The driver's writer: internal, so not in its typings or its public exports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FrameWriter } = require('cassandra-driver/lib/writers') as {
  FrameWriter: new (opcode: number) => FrameWriter;
};

/** Request opcodes of the native protocol (spec section 2.4): not in the driver's typings. */
const OPCODES = { options: 0x05, query: 0x07, prepare: 0x09, execute: 0x0a, batch: 0x0d } as const;

/** One write, and the bytes the protocol says it puts in the body. */
type Write = { readonly apply: (writer: FrameWriter) => void; readonly bytes: Buffer };

const uint16 = (value: number) => {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
};
const int32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
const shortString = (text: string) => Buffer.concat([uint16(Buffer.byteLength(text)), Buffer.from(text)]);
const longString = (text: string) => Buffer.concat([int32(Buffer.byteLength(text)), Buffer.from(text)]);
const shortBytes = (bytes: Buffer) => Buffer.concat([uint16(bytes.length), bytes]);
const longBytes = (bytes: Buffer) => Buffer.concat([int32(bytes.length), bytes]);

// Up to a few KB: a frame starts at 512 bytes, so values this size make it grow, once or many times.
const blob = fc.uint8Array({ maxLength: 3000 }).map((array) => Buffer.from(array));
const text = fc.string({ unit: 'grapheme', maxLength: 200 });

const write: fc.Arbitrary<Write> = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((value) => ({
    apply: (writer: FrameWriter) => writer.writeByte(value),
    bytes: Buffer.from([value]),
  })),
  fc.integer({ min: 0, max: 0xffff }).map((value) => ({
    apply: (writer: FrameWriter) => writer.writeShort(value),
    bytes: uint16(value),
  })),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((value) => ({
    apply: (writer: FrameWriter) => writer.writeInt(value),
    bytes: int32(value),
  })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64BE(value);
    return { apply: (writer: FrameWriter) => writer.writeLong(types.Long.fromString(value.toString())), bytes };
  }),
  blob.map((value) => ({ apply: (writer: FrameWriter) => writer.writeBytes(value), bytes: longBytes(value) })),
  fc.constant({ apply: (writer: FrameWriter) => writer.writeBytes(null), bytes: int32(-1) }),
  fc.constant({ apply: (writer: FrameWriter) => writer.writeBytes(types.unset), bytes: int32(-2) }),
  blob.map((value) => ({ apply: (writer: FrameWriter) => writer.writeShortBytes(value), bytes: shortBytes(value) })),
  text.map((value) => ({ apply: (writer: FrameWriter) => writer.writeString(value), bytes: shortString(value) })),
  text.map((value) => ({ apply: (writer: FrameWriter) => writer.writeLString(value), bytes: longString(value) })),
  fc.array(text, { maxLength: 5 }).map((values) => ({
    apply: (writer: FrameWriter) => writer.writeStringList(values),
    bytes: Buffer.concat([uint16(values.length), ...values.map(shortString)]),
  })),
  fc.dictionary(text, text, { maxKeys: 5, noNullPrototype: true }).map((map) => ({
    apply: (writer: FrameWriter) => writer.writeStringMap(map),
    bytes: Buffer.concat([
      uint16(Object.keys(map).length),
      ...Object.entries(map).flatMap(([key, value]) => [shortString(key), shortString(value)]),
    ]),
  })),
  fc.dictionary(text, blob, { maxKeys: 3, noNullPrototype: true }).map((payload) => ({
    apply: (writer: FrameWriter) => writer.writeCustomPayload(payload),
    bytes: Buffer.concat([
      uint16(Object.keys(payload).length),
      ...Object.entries(payload).flatMap(([key, value]) => [shortString(key), longBytes(value)]),
    ]),
  })),
);

/** The frame header: versions 1 and 2 have a one-byte stream id, later ones two bytes. */
function header(version: number, flags: number, streamId: number, opcode: number, bodyLength: number): Buffer {
  const twoByteStream = version >= 3;
  const bytes = Buffer.alloc(twoByteStream ? 9 : 8);
  bytes.writeUInt8(version, 0);
  bytes.writeUInt8(flags, 1);
  const afterStream = twoByteStream ? bytes.writeInt16BE(streamId, 2) : bytes.writeInt8(streamId, 2);
  bytes.writeUInt8(opcode, afterStream);
  bytes.writeUInt32BE(bodyLength, afterStream + 1);
  return bytes;
}

describe("the driver's FrameWriter (patched)", () => {
  it('is the patched writer: one growing buffer, no list of pieces', () => {
    // Fails when npm ci ran without its postinstall step (patch-package), e.g. with --ignore-scripts.
    expect(new FrameWriter(OPCODES.batch)).not.toHaveProperty('buffers');
  });

  it('writes every frame byte for byte as the protocol lays it out, in every protocol version', () => {
    fc.assert(
      fc.property(
        fc.array(write, { maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 127 }),
        fc.constantFrom(OPCODES.query, OPCODES.execute, OPCODES.batch, OPCODES.prepare),
        (writes, version, flags, streamId, opcode) => {
          const writer = new FrameWriter(opcode);
          for (const each of writes) each.apply(writer);
          const body = Buffer.concat(writes.map((each) => each.bytes));
          expect(writer.bodyLength).toBe(body.length);
          const frame = writer.write(version, streamId, flags);
          expect(frame.equals(Buffer.concat([header(version, flags, streamId, opcode, body.length), body]))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('writes stream ids across their whole range (two bytes from protocol v3 on)', () => {
    for (const [version, streamId] of [
      [2, -128],
      [2, 127],
      [4, -32768],
      [4, 32767],
    ] as const) {
      const writer = new FrameWriter(OPCODES.options);
      const frame = writer.write(version, streamId);
      expect(frame.equals(header(version, 0, streamId, OPCODES.options, 0))).toBe(true);
    }
  });
});
