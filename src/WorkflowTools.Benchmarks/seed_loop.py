"""
The Next Matter "Start instance and complete a step" seed, in a loop over rows: the seed's own
create_instance and complete_step, imported from the runnable seed (NM_SEED_SCRIPT, normally
tests/seeds/nextmatter_seed.py), each a bare requests.post (no Session), so every call opens a new
connection, as the seed does. Settings come from the environment (the benchmark starts the sandbox and
passes them); the elapsed time of the loop alone (interpreter start excluded) is printed last.
"""
import contextlib
import importlib.util
import io
import os
import sys
import time

ROWS = int(os.environ.get("NM_ROWS", "500"))

spec = importlib.util.spec_from_file_location("nextmatter_seed", os.environ["NM_SEED_SCRIPT"])
seed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(seed)

if __name__ == "__main__":
    failures = 0
    actions = [
        {"action_id": 123456, "input_object": {"inputValue": "Value 1"}},
        {"action_id": 789012, "input_object": {"itemSelected": "Value 2"}},
    ]
    started = time.perf_counter()
    # The seed prints a line per call; kept off the pipe so only the loop's own result is read.
    with contextlib.redirect_stdout(io.StringIO()):
        for row in range(ROWS):
            instance_id, instance_url = seed.create_instance(seed.PROCESS_ID, tags=["bench"])
            if instance_url:
                if seed.complete_step(str(instance_id), seed.STEP_ID, actions) is None:
                    failures += 1
            else:
                failures += 1
    elapsed = time.perf_counter() - started
    print(f"FAILURES {failures}")
    print(f"ELAPSED {elapsed:.6f}")
    sys.stdout.flush()
