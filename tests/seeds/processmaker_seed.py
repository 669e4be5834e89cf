"""ProcessMaker seed snippet 004_1cd873f875c7b6d3 ("Starting a Request via REST API"), made runnable.

Written from the guide's text. Only the placeholders are filled:
  <your-instance>      <- argv[1] or PM_INSTANCE (required: no default, so nothing is ever sent
                          to a real server by accident), e.g. http://127.0.0.1:5080/processmaker
  <your-access-token>  <- PM_ACCESS_TOKEN
  <process_id>         <- PM_PROCESS_ID (default 1)
The logic is the guide's: headers with the bearer token, an empty body, POST, print response.json().
Note the guide's URL has no ?event=<start event id>; ProcessMaker 4.15 answers that with 404 (admin)
or 403 (others), and the sandbox does the same.
"""
import os
import sys

import requests

instance = (sys.argv[1] if len(sys.argv) > 1 else os.environ["PM_INSTANCE"]).rstrip("/")
access_token = os.environ["PM_ACCESS_TOKEN"]
process_id = os.environ.get("PM_PROCESS_ID", "1")

# Preparing the Headers
headers = {
    "Authorization": f"Bearer {access_token}",
}

# Preparing the Request Body
body = {}

# Sending the Request to the API
response = requests.post(f"{instance}/api/1.0/process_events/{process_id}", headers=headers, json=body)
print(response.json())
