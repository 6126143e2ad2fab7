#!/usr/bin/python3
"""An independent reader of TensorBoard event files, for the tests.

It compiles TensorBoard's own .proto files with Debian's protoc (protobuf-compiler) into a temporary
folder, decodes with Debian's python3-protobuf (the C++/Python implementation, not protobufjs),
checks every TFRecord's two masked CRC-32C values with its own CRC-32C table, and prints one JSON
object describing every file given (or every events.out.tfevents.* file under a folder).

usage: decode_events.py PROTO_ROOT PATH...
"""
import atexit
import base64
import glob
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

# --- CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), written here from its definition ---
_TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    _TABLE.append(c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283  # the standard check value


def masked(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def compile_protos(proto_root):
    out = tempfile.mkdtemp(prefix="tb-protos-")
    atexit.register(shutil.rmtree, out, True)
    names = ["event", "summary", "histogram", "tensor", "resource_handle", "tensor_shape", "types", "graph",
             "function", "graph_debug_info", "node_def", "attr_value", "full_type", "versions", "op_def"]
    files = ["tensorboard/compat/proto/%s.proto" % n for n in names]
    subprocess.run(["protoc", "-I", proto_root, "--python_out", out] + files, check=True)
    for d, _, _ in os.walk(out):
        open(os.path.join(d, "__init__.py"), "a").close()
    sys.path.insert(0, out)
    from tensorboard.compat.proto import event_pb2, graph_pb2
    return event_pb2, graph_pb2


def read_records(path):
    """Every complete record with valid CRCs (stopping at the first that is short or corrupt), the
    offset where each ends, and how the file ends."""
    data = open(path, "rb").read()
    pos, records, ends, end = 0, [], [], "clean"
    while pos < len(data):
        if len(data) - pos < 12:
            end = "truncated header"
            break
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (hcrc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if hcrc != masked(header):
            end = "bad length crc"
            break
        if len(data) - pos < 12 + length + 4:
            end = "truncated data"
            break
        body = data[pos + 12:pos + 12 + length]
        (dcrc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if dcrc != masked(body):
            end = "bad data crc"
            break
        records.append(body)
        pos += 16 + length
        ends.append(pos)
    return records, ends, end, len(data)


def tensor_values(t):
    from google.protobuf.json_format import MessageToDict
    dims = [d.size for d in t.tensor_shape.dim]
    if t.float_val:
        return dims, list(t.float_val)
    if t.double_val:
        return dims, list(t.double_val)
    if t.string_val:
        return dims, [s.decode("utf-8", "replace") if i < 2 or t.dtype != 7 else {"png_ok": s[:8] == b"\x89PNG\r\n\x1a\n", "base64": base64.b64encode(s).decode()}
                      for i, s in enumerate(t.string_val)]
    if t.tensor_content:
        return dims, {"tensor_content_bytes": len(t.tensor_content)}
    return dims, MessageToDict(t)


def decode_file(path, event_pb2, graph_pb2):
    records, ends, end, size = read_records(path)
    events = []
    for body in records:
        e = event_pb2.Event()
        e.ParseFromString(body)
        what = e.WhichOneof("what")
        item = {"wall_time": e.wall_time, "step": e.step, "what": what}
        if what == "file_version":
            item["file_version"] = e.file_version
        elif what == "graph_def":
            g = graph_pb2.GraphDef()
            g.ParseFromString(e.graph_def)
            item["nodes"] = [{
                "name": n.name, "op": n.op, "input": list(n.input),
                "output_shapes": [[d.size for d in s.dim] for s in n.attr["_output_shapes"].list.shape],
            } for n in g.node]
        elif what == "summary":
            item["values"] = []
            for v in e.summary.value:
                dims, vals = tensor_values(v.tensor)
                item["values"].append({"tag": v.tag, "plugin": v.metadata.plugin_data.plugin_name,
                                       "dtype": v.tensor.dtype, "dims": dims, "data": vals})
        events.append(item)
    return {"path": path, "bytes": size, "records": len(records), "record_ends": ends, "end": end, "events": events}


def main():
    proto_root, paths = sys.argv[1], sys.argv[2:]
    event_pb2, graph_pb2 = compile_protos(proto_root)
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(glob.glob(os.path.join(p, "**", "events.out.tfevents.*"), recursive=True))
        else:
            files.append(p)
    print(json.dumps([decode_file(f, event_pb2, graph_pb2) for f in files]))


if __name__ == "__main__":
    main()
