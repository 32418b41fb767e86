"""How `nexus` talks about its own usage: one-line usage errors, an example in every --help, and
the `--migrate` option of the commands that use the database."""

from __future__ import annotations

import argparse
from typing import NoReturn


class CommandLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the problem and where to read more."""

    def error(self, message: str) -> NoReturn:
        message = message.replace("argument command: invalid choice", "unknown command")
        message = message.replace("argument action: invalid choice", "unknown action")
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def add_migrate_option(parser: argparse.ArgumentParser) -> None:
    """`--migrate` on a command that uses the database, and on each of its own sub-commands."""
    nested = [
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    ]
    if not nested:
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="migrate a DATABASE_URL whose schema is behind (the embedded one always is)",
        )
    for action in nested:
        for child in action.choices.values():
            add_migrate_option(child)


FIRST_STEPS = """examples:
  nexus serve                                  serve on http://127.0.0.1:8000 (Swagger at /swagger/)
  nexus import-movielens ~/Downloads/ml-latest-small && nexus build-model
  nexus users create alice --staff             a first staff account (asks for the password)
  nexus doctor                                 what is configured, reachable and missing
  nexus demo                                   MovieLens data, a model and a demo account, served

`nexus COMMAND --help` describes each command."""
# One example for each command's --help (a module may give its parser its own epilog instead).
EXAMPLES = {
    "serve": "nexus serve --host 0.0.0.0 --port 8080",
    "migrate": "nexus migrate            (or: nexus migrate 0001 --downgrade)",
    "sync-tmdb": "TMDB_READ_TOKEN=... nexus sync-tmdb --category popular --pages 5",
    "import-movielens": "nexus import-movielens ./ml-latest-small",
    "evaluate": "nexus evaluate ./ml-100k --holdout 0.2 --k 10",
    "build-model": "nexus build-model",
    "seed-synthetic": "nexus seed-synthetic --movies 2000 --users 1000 --ratings 100000",
}
