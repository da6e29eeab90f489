"""``python -m autograder``: see :mod:`autograder.cli`."""

import sys

from autograder.cli import EXIT_INTERNAL, main

if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as err:
        import traceback

        traceback.print_exc()
        print(f"internal error in the autograder: {err}", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)
