"""
Re-enactment of the Next Matter "Start instance and complete a step" seed script, in a loop over rows:
each call is a bare requests.post (no Session), so every call opens a new connection, as the seed does.
Settings come from the environment (the benchmark starts the sandbox and passes them); the elapsed time
of the loop alone (interpreter start excluded) is printed last.
"""
import os
import sys
import time

import requests

API_KEY = os.environ["NM_API_KEY"]
BASE_URL = os.environ["NM_BASE_URL"]
PROCESS_ID = os.environ.get("NM_PROCESS_ID", "1")
STEP_ID = int(os.environ.get("NM_STEP_ID", "42"))
ROWS = int(os.environ.get("NM_ROWS", "500"))

HEADERS = {
    "Authorization": f"Api-Key {API_KEY}",
    "Content-Type": "application/json",
}


def create_instance(process_id, tags=None):
    url = f"{BASE_URL}instances/"
    payload = {"process": f"{BASE_URL}processes/{process_id}/"}
    if tags:
        payload["tags"] = tags
    response = requests.post(url, json=payload, headers=HEADERS)
    if response.status_code == 201:
        data = response.json()
        print(f"Instance created successfully: {data['id']}")
        return data["id"], data["url"]
    print(f"Error creating instance: {response.text}")
    return None, None


def complete_step(instance_id, step_id, actions):
    url = f"{BASE_URL}instances/{instance_id}/complete_step/"
    payload = {"step_id": step_id, "actions": actions}
    response = requests.post(url, json=payload, headers=HEADERS)
    if response.status_code == 200:
        print("Step completed successfully.")
        return response.json()
    print(f"Error completing step: {response.text}")
    return None


if __name__ == "__main__":
    failures = 0
    started = time.perf_counter()
    for row in range(ROWS):
        instance_id, instance_url = create_instance(PROCESS_ID, tags=["bench"])
        if instance_url:
            actions = [
                {"action_id": 123456, "input_object": {"inputValue": "Value 1"}},
                {"action_id": 789012, "input_object": {"itemSelected": "Value 2"}},
            ]
            if complete_step(str(instance_id), STEP_ID, actions) is None:
                failures += 1
        else:
            failures += 1
    elapsed = time.perf_counter() - started
    print(f"FAILURES {failures}")
    print(f"ELAPSED {elapsed:.6f}")
    sys.stdout.flush()
