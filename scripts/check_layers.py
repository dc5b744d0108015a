#!/usr/bin/env python3
"""The folder graph of src/: prints which folder includes which, and fails when
it has a cycle or a folder holds more than 15 .cpp files (README, Architecture).
The build enforces the declared direction (cmake/modules.cmake); this check
keeps the graph itself honest, including headers no target compiles alone.

    scripts/check_layers.py [SRC_DIR]        # exit 0 when the shape holds
"""
import re
import sys
from pathlib import Path

MAX_CPP_PER_FOLDER = 15
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_of(path: Path, src: Path) -> str:
    return path.parent.relative_to(src).as_posix()


def graph(src: Path) -> dict:
    folders = {folder_of(p, src) for p in src.rglob("*") if p.suffix in (".h", ".cpp")}
    edges = {f: set() for f in folders}
    for path in src.rglob("*"):
        if path.suffix not in (".h", ".cpp"):
            continue
        own = folder_of(path, src)
        for target in INCLUDE.findall(path.read_text(errors="replace")):
            other = str(Path(target).parent.as_posix())
            if other in folders and other != own:
                edges[own].add(other)
    return edges


def find_cycle(edges: dict):
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "src")
    edges = graph(src)
    ok = True
    for folder in sorted(edges):
        cpp = len(list((src / folder).glob("*.cpp")))
        print(f"{folder} ({cpp} .cpp) -> {', '.join(sorted(edges[folder])) or '-'}")
        if cpp > MAX_CPP_PER_FOLDER:
            print(f"error: {folder} holds {cpp} .cpp files (at most {MAX_CPP_PER_FOLDER}): is it two things?")
            ok = False
    cycle = find_cycle(edges)
    if cycle:
        print("error: folder include cycle: " + " -> ".join(cycle))
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
