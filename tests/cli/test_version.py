from typer.testing import CliRunner

from iamfence import __version__
from iamfence.cli.main import app


def test_version_prints_the_package_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"iamfence {__version__}"
