"""Cuts small, self-contained slices out of the real specs for the fuzz seed corpus.

Each slice keeps one or two paths and every component they reach through `$ref`, so it is a
valid spec the generator accepts. Run from the workspace root: `python3 fuzz/seeds/slice.py`.
"""

import json
import pathlib
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).resolve().parent

# (spec, output name, path-name substrings to keep, at most this many paths)
SLICES = [
    ("spec/keyvault/keyvault.yaml", "keyvault-vaults", ["/vaults/{vaultName}"], 2),
    ("spec/keyvault/keyvault.yaml", "keyvault-secrets", ["/secrets"], 2),
    ("spec/storage/storage.yaml", "storage-blob-services", ["/blobServices"], 2),
    ("spec/storage/storage.yaml", "storage-usages", ["/usages"], 1),
    ("spec/apimanagement/2024-05-01.yaml", "apim-backends", ["/backends/{backendId}"], 1),
    ("spec/apimanagement/2024-05-01.yaml", "apim-loggers", ["/loggers"], 2),
]


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def closure(spec, roots):
    """Every `#/components/<kind>/<name>` reachable from `roots`."""
    seen = set()
    todo = [r for root in roots for r in refs(root)]
    while todo:
        ref = todo.pop()
        if ref in seen or not ref.startswith("#/components/"):
            continue
        seen.add(ref)
        _, _, kind, name = ref.split("/", 3)
        target = spec["components"][kind][name.replace("~1", "/").replace("~0", "~")]
        todo.extend(refs(target))
    return seen


def main():
    for source, name, wanted, limit in SLICES:
        spec = yaml.safe_load((ROOT / source).read_text())
        paths = {p: item for p, item in spec["paths"].items() if any(w in p for w in wanted)}
        paths = dict(sorted(paths.items())[:limit])
        out = {
            "openapi": spec["openapi"],
            "info": spec["info"],
            "servers": spec.get("servers", []),
            "paths": paths,
            "components": {},
        }
        for ref in sorted(closure(spec, [paths])):
            _, _, kind, key = ref.split("/", 3)
            key = key.replace("~1", "/").replace("~0", "~")
            out["components"].setdefault(kind, {})[key] = spec["components"][kind][key]
        text = json.dumps(out, indent=1, ensure_ascii=False, default=str) + "\n"
        (OUT / f"{name}.json").write_text(text)
        print(f"{name}.json: {len(paths)} paths, {len(text)} bytes")


if __name__ == "__main__":
    main()
