"""`python -m storage users ...` on a real database: the first admin, a CSV with bad rows, the list."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.cli import main


def test_users_add_import_and_list(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database", db_url, "users", "add", "Admin@MIC.gov.vn", "--role", "admin"]) == 0
    assert "added admin@mic.gov.vn: admin national" in capsys.readouterr().out
    assert main(["--database", db_url, "users", "add", "x@y.vn", "--role", "reviewer", "--scope", "agency:a"]) == 1
    assert "a reviewer needs a scope of province:<id> or ministry:<id>" in capsys.readouterr().err
    users = tmp_path / "users.csv"
    users.write_text(
        "email,role,scope,display_name\n"
        "lan@xa.vn,it_lead,agency:xa_dak_ha,Lan\n"
        "oops,respondent,agency:xa_dak_ha,\n"
        "minh@tinh.vn,reviewer,province:tinh_dak_lak,Minh\n",
        encoding="utf-8",
    )
    assert main(["--database", db_url, "users", "import", str(users)]) == 1
    out, err = capsys.readouterr()
    assert err.strip() == f"{users}:3: 'oops' is not an e-mail address"
    assert "2 added, 0 updated, 0 unchanged, 1 refused" in out
    assert main(["--database", db_url, "users", "set", "lan@xa.vn", "--deactivate"]) == 0
    capsys.readouterr()
    assert main(["--database", db_url, "users", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "admin@mic.gov.vn\tadmin\tnational\tactive\t",
        "lan@xa.vn\tit_lead\tagency:xa_dak_ha\tinactive\tLan",
        "minh@tinh.vn\treviewer\tprovince:tinh_dak_lak\tactive\tMinh",
    ]
