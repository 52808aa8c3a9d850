"""airflow-provider-freshet: refresh Tableau extracts through Freshet from Airflow 3.

``FreshetHook`` (connection type ``freshet``), ``FreshetRefreshOperator`` (deferrable by default),
``FreshetRunSensor`` and the ``Freshet run`` extra link. Airflow finds the provider through the
``apache_airflow_provider`` entry point, which calls ``get_provider_info``.
"""

from __future__ import annotations

__version__ = "0.1.0"


def get_provider_info() -> dict:
    """What Airflow's ProvidersManager reads: the connection type and its form, classes, links."""
    return {
        "package-name": "airflow-provider-freshet",
        "name": "Freshet",
        "description": "Refresh Tableau extracts through Freshet and wait for Tableau's jobs without holding a worker slot.",
        "integrations": [{"integration-name": "Freshet", "tags": ["service"]}],
        "connection-types": [
            {
                "connection-type": "freshet",
                "hook-class-name": "freshet_airflow.hooks.FreshetHook",
                "hook-name": "Freshet",
                "ui-field-behaviour": {
                    "hidden-fields": ["schema", "port", "login"],
                    "relabeling": {"host": "Freshet URL", "password": "API token"},
                    "placeholders": {
                        "host": "https://freshet.example.com",
                        "password": "fsh_… (scopes refresh and read)",
                        "extra": '{"timeout": 30, "retries": 3}',
                    },
                },
                "conn-fields": {
                    "timeout": {
                        "label": "Request timeout (s)",
                        "description": "Seconds to wait for an answer, besides a long-poll's own wait.",
                        "schema": {"type": ["integer", "null"], "minimum": 1, "default": 30},
                    },
                    "retries": {
                        "label": "Retries",
                        "description": "Tries again after connection errors and 5xx answers.",
                        "schema": {"type": ["integer", "null"], "minimum": 0, "default": 3},
                    },
                },
            }
        ],
        "hooks": [{"integration-name": "Freshet", "python-modules": ["freshet_airflow.hooks"]}],
        "operators": [{"integration-name": "Freshet", "python-modules": ["freshet_airflow.operators"]}],
        "sensors": [{"integration-name": "Freshet", "python-modules": ["freshet_airflow.sensors"]}],
        "triggers": [{"integration-name": "Freshet", "python-modules": ["freshet_airflow.triggers"]}],
        "extra-links": ["freshet_airflow.links.FreshetRunLink"],
        "asset-uris": [{"schemes": ["tableau"], "handler": None}],
    }
