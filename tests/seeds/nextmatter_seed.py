"""Next Matter seed snippet 000_61aded637f76135d ("Start instance and complete a step"), made runnable.

Written from the snippet's text. Only the placeholders are filled:
  API_KEY, PROCESS_ID, STEP_ID   <- environment (NM_API_KEY, NM_PROCESS_ID, NM_STEP_ID)
  BASE_URL                       <- argv[1] or NM_BASE_URL (required: no default, so nothing
                                    is ever sent to the real service by accident)
The action ids 123456 / 789012 are the snippet's own placeholders; the sandbox seeds them.

One minimal fill-in beyond placeholders: the snippet's main block calls
create_instance(PROCESS_ID, instance_name="Test Instance"), but create_instance has no such
parameter (a TypeError as published). An optional `instance_name` parameter is added and left
unused, because the snippet documents that the name is created automatically by Next Matter.
Nothing else in the logic is changed.
"""
import os
import sys

import requests

# Next Matter API Key (Replace with actual API Key)
API_KEY = os.environ["NM_API_KEY"]
# Workfow and Step IDs (Replace with actual values)
PROCESS_ID = os.environ.get("NM_PROCESS_ID", "1")
STEP_ID = int(os.environ.get("NM_STEP_ID", "42"))
# Next Matter API Base URL
BASE_URL = sys.argv[1] if len(sys.argv) > 1 else os.environ["NM_BASE_URL"]

# Headers for authentication
HEADERS = {
    "Authorization": f"Api-Key {API_KEY}",
    "Content-Type": "application/json",
}


def create_instance(process_id: str, tags: list = None, instance_name: str = None):  # instance_name: fill-in, see above
    """
    Creates a new instance of a Next Matter workflow.
    The name of the instance will be automatically created by Next Matter.
    :param process_id: ID of the workflow to create an instance for.
    :param tags: Optional list of tags to assign to the instance.
    :return: Instance ID and Instance URL if successful, None otherwise.
    """
    url = f"{BASE_URL}instances/"
    payload = {
        "process": f"https://core.nextmatter.com/api/processes/{process_id}/"
    }
    if tags:
        payload["tags"] = tags
    response = requests.post(url, json=payload, headers=HEADERS)
    if response.status_code == 201:
        instance_data = response.json()
        print(f"✅ Instance created successfully: {instance_data['id']}")
        return instance_data["id"], instance_data["url"]
    print(f"❌ Error creating instance: {response.text}")
    return None, None


def complete_step(instance_id: str, step_id: int, actions: list):
    """
    Completes a step in a given Next Matter instance.
    :param instance_url: URL of the instance where the step should be completed.
    :param step_id: ID of the step to be completed.
    :param actions: List of form fields (each containing an action_id and input_object).
    :return: API response data.
    """
    url = f"{BASE_URL}instances/{instance_id}/complete_step/"
    payload = {
        "step_id": step_id,
        "actions": actions
    }
    response = requests.post(url, json=payload, headers=HEADERS)
    if response.status_code == 200:
        print("✅ Step completed successfully.")
        return response.json()
    print(f"❌ Error completing step: {response.text}")
    return None


if __name__ == "__main__":
    # Example usage
    instance_id, instance_url = create_instance(PROCESS_ID, instance_name="Test Instance")
    if instance_url:
        # Modify the form field list according to your workflow's requirements
        actions = [
            {
                "action_id": 123456,  # Replace with actual action ID
                "input_object": {"inputValue": "Value 1"}  # Key (i.e. inputValue) depends on the type of form field
            },
            {
                "action_id": 789012,  # Replace with actual action ID
                "input_object": {"itemSelected": "Value 2"}
            }
        ]
        complete_step(str(instance_id), STEP_ID, actions)
