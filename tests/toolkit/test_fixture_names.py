"""The toolkit fixtures name the same people in every test process."""

import os
import subprocess
import sys

SCRIPT = ("import django; django.setup(); from tests.toolkit.conftest import name_seed; "
          "print(name_seed('alpha'), name_seed('beta'))")


def test_member_names_are_seeded_the_same_in_every_process():
    seeds = set()
    for hash_seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed,
               "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                        "saas.settings")}
        out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                             text=True, check=True, timeout=60)
        seeds.add(out.stdout.strip())
    assert len(seeds) == 1
