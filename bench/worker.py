"""Child process for one benchmark module: `python -m bench.worker NAME RESULT.json`.

The runner passes the context in BENCH_CONTEXT; the measurements come back as JSON in
RESULT.json (stdout stays free for whatever the module prints).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from bench import runner


def main(argv: list[str]) -> int:
    name, out = argv[0], Path(argv[1])
    ctx = runner.context_from_json(os.environ["BENCH_CONTEXT"])
    result = runner.run_in_process(name, ctx)
    payload = {
        "measurements": [runner.measurement_dict(m) for m in result.measurements],
        "error": result.error,
    }
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, allow_nan=False))
    tmp.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
