#!/usr/bin/env python3
"""Where a process's resident memory is: every resident kB accounted for.

Reads /proc/PID/smaps and /proc/PID/pagemap (root), and, for the main
binary's resident pages, its symbol table (`nm`, so give the unstripped
binary): each resident page of the binary is charged to the module (Swift
module, C library) that owns most of its bytes, per section kind (code,
read-only data, writable data). Shared libraries are listed per file;
anonymous memory is split into heap (malloc arenas, [heap]), thread stacks
and other.

  bench/rss-breakdown.py PID [--binary PATH] [--top N] [--json]
"""

import argparse
import bisect
import collections
import json
import os
import re
import struct
import subprocess
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")


def mappings(pid):
    """(start, end, perms, offset, path, fields) for each mapping, from smaps."""
    rows = []
    current = None
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            match = re.match(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) \S+ \S+\s*(.*)$", line)
            if match:
                current = {
                    "start": int(match.group(1), 16), "end": int(match.group(2), 16), "perms": match.group(3),
                    "offset": int(match.group(4), 16), "path": match.group(5), "fields": {},
                }
                rows.append(current)
                continue
            key, _, value = line.partition(":")
            parts = value.split()
            if current is not None and len(parts) == 2 and parts[1] == "kB":
                current["fields"][key] = int(parts[0])
    return rows


def resident_pages(pid, start, end):
    """Virtual addresses of the present pages in [start, end)."""
    present = []
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        pagemap.seek(start // PAGE * 8)
        data = pagemap.read((end - start) // PAGE * 8)
    for index in range(len(data) // 8):
        (entry,) = struct.unpack_from("<Q", data, index * 8)
        if entry & (1 << 63):
            present.append(start + index * PAGE)
    return present


def module_of(symbol):
    """The Swift module or C/C++ library a symbol belongs to."""
    name = symbol.lstrip("_")
    if name.startswith("$s"):
        rest = name[2:]
        match = re.match(r"(\d+)", rest)
        if match:
            length = int(match.group(1))
            return rest[len(match.group(1)):len(match.group(1)) + length]
        return "Swift (stdlib)"
    if symbol.startswith("swift_") or symbol.startswith("_swift_") or symbol.startswith("_ZN5swift"):
        return "Swift runtime"
    if re.search(r"_7\d(_\d+)?$", symbol) or symbol.startswith(("u_", "ucol_", "ures_", "ubrk_", "uloc_", "utext_", "_ZN6icu_")):
        return "ICU"
    if symbol.startswith(("CCryptoBoringSSL", "_ZN4bssl")):
        return "BoringSSL (swift-crypto)"
    if symbol.startswith(("CNIOBoringSSL", "_ZN4bssl")):
        return "BoringSSL (swift-nio-ssl)"
    if symbol.startswith("_ZN"):
        return "C++ other"
    if symbol.startswith(("CF", "__CF", "_CF")):
        return "CoreFoundation"
    if symbol.startswith(("yaml_",)):
        return "libyaml"
    if symbol.startswith(("dispatch_", "_dispatch")):
        return "Dispatch"
    if symbol.startswith(("c_nio", "CNIO")):
        return "NIO C shims"
    return "C other"


def symbol_table(binary):
    """Sorted (address, size, module) of the binary's defined symbols."""
    output = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    table = []
    for line in output.splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        address, size, _, name = parts
        table.append((int(address, 16), int(size, 16), module_of(name)))
    table.sort()
    return table


def section_kinds(binary):
    """(start, end, kind) of the binary's allocated sections, by virtual address."""
    output = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    sections = []
    for line in output.splitlines():
        match = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\S*)", line)
        if not match:
            continue
        name, address, size, flags = match.group(1), int(match.group(2), 16), int(match.group(3), 16), match.group(4)
        if "A" not in flags or size == 0:
            continue
        if "X" in flags:
            kind = "code"
        elif name.startswith((".rela", ".dynsym", ".dynstr", ".gnu.hash", ".gnu.version", ".hash")):
            kind = "dynamic linking"
        elif name.startswith((".eh_frame", ".gcc_except_table")):
            kind = "unwind tables"
        elif name.startswith("swift5_") or name == ".swift_modhash":
            kind = "Swift metadata sections"
        elif "W" in flags and name in (".data.rel.ro", ".got", ".got.plt", ".init_array", ".fini_array", ".dynamic"):
            kind = "relocated data (relro)"
        elif "W" in flags and name in (".data", ".bss", ".tm_clone_table", ".cfstr.data") or name.startswith("swift5_backtrace"):
            kind = "writable data"
        else:
            kind = "read-only data"
        sections.append((address, address + size, kind, name))
    sections.sort()
    return sections


def charge(pages, base, table, sections):
    """kB per (kind, module) for the binary's resident pages."""
    starts = [entry[0] for entry in table]
    section_starts = [entry[0] for entry in sections]
    charged = collections.Counter()
    for page in pages:
        address = page - base
        index = bisect.bisect_right(section_starts, address) - 1
        kind = sections[index][2] if index >= 0 and address < sections[index][1] + PAGE else "other"
        owners = collections.Counter()
        position = bisect.bisect_right(starts, address + PAGE)
        # Walk back over the symbols that overlap this page.
        while position > 0:
            position -= 1
            start, size, module = table[position]
            if start + max(size, 1) <= address:
                if address - start > 1 << 20:
                    break
                continue
            overlap = min(start + size, address + PAGE) - max(start, address)
            if overlap > 0:
                owners[module] += overlap
        module = owners.most_common(1)[0][0] if owners else "(no symbol)"
        charged[(kind, module)] += PAGE // 1024
    return charged


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pid", type=int)
    parser.add_argument("--binary", help="the unstripped binary (default: /proc/PID/exe)")
    parser.add_argument("--top", type=int, default=12, help="modules listed per kind (default 12)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    arguments = parser.parse_args()
    pid = arguments.pid
    exe = os.path.realpath(f"/proc/{pid}/exe")
    binary = arguments.binary or exe
    rows = mappings(pid)
    total = sum(row["fields"].get("Rss", 0) for row in rows)
    result = {"pid": pid, "rss_kB": total, "binary": collections.Counter(), "libraries": collections.Counter(), "anonymous": collections.Counter()}
    binary_rows = [row for row in rows if row["path"] == exe]
    base = min(row["start"] - row["offset"] for row in binary_rows) if binary_rows else 0
    table = symbol_table(binary)
    sections = section_kinds(binary)
    binary_charged = collections.Counter()
    for row in rows:
        rss = row["fields"].get("Rss", 0)
        if rss == 0:
            continue
        path = row["path"]
        if path == exe:
            binary_charged += charge(resident_pages(pid, row["start"], row["end"]), base, table, sections)
        elif path.startswith("/"):
            result["libraries"][os.path.basename(path)] += rss
        elif path == "[heap]":
            result["anonymous"]["heap ([heap], brk)"] += rss
        elif path.startswith("[stack"):
            result["anonymous"]["main thread stack"] += rss
        elif path in ("[vdso]", "[vvar]", "[vsyscall]", "[vvar_vclock]"):
            result["anonymous"]["kernel (vdso, vvar)"] += rss
        else:
            size_kB = (row["end"] - row["start"]) // 1024
            # Thread stacks: NIO and Swift's pool create 8 MB stacks (glibc's default), malloc arenas 64 MB reservations.
            if size_kB in (8192, 8188, 8196) or (8000 <= size_kB <= 8200):
                result["anonymous"]["thread stacks"] += rss
            elif size_kB >= 60000 or row["perms"].startswith("---"):
                result["anonymous"]["malloc arenas (threads)"] += rss
            else:
                result["anonymous"]["other anonymous"] += rss
    for (kind, module), kB in binary_charged.items():
        result["binary"][f"{kind}: {module}"] += kB
    if arguments.json:
        print(json.dumps({key: (dict(value) if isinstance(value, collections.Counter) else value) for key, value in result.items()}, indent=1))
        return
    print(f"RSS of PID {pid}: {total:,} kB")
    binary_total = sum(result["binary"].values())
    print(f"\nthe binary ({os.path.basename(exe)}): {binary_total:,} kB resident")
    by_kind = collections.Counter()
    for (kind, module), kB in binary_charged.items():
        by_kind[kind] += kB
    for kind, kB in by_kind.most_common():
        print(f"  {kind}: {kB:,} kB")
        modules = [(module, value) for (k, module), value in binary_charged.items() if k == kind]
        modules.sort(key=lambda entry: -entry[1])
        for module, value in modules[:arguments.top]:
            print(f"      {value:7,} kB  {module}")
        rest = sum(value for _, value in modules[arguments.top:])
        if rest:
            print(f"      {rest:7,} kB  ({len(modules) - arguments.top} more)")
    print(f"\nshared libraries: {sum(result['libraries'].values()):,} kB")
    for name, kB in result["libraries"].most_common():
        print(f"  {kB:7,} kB  {name}")
    print(f"\nanonymous: {sum(result['anonymous'].values()):,} kB")
    for name, kB in result["anonymous"].most_common():
        print(f"  {kB:7,} kB  {name}")


if __name__ == "__main__":
    sys.exit(main())
