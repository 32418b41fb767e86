"""Print the OpenAPI schema of `create_app()` without a server or a database:

    python -m app.cli.openapi > clients/typescript/openapi.json

Front-end clients generate their types from it (see clients/typescript)."""

from __future__ import annotations

import json
import sys
from typing import Any

from app.bootstrap.settings import Settings
from app.main import create_app


def openapi_document() -> dict[str, Any]:
    # Defaults only, no .env: the schema must not depend on the machine it is dumped on.
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    return create_app(settings).openapi()


def main() -> int:
    json.dump(openapi_document(), sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
