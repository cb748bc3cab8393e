"""Run configuration shared by the incremental stages."""

from dagster import Config
from pydantic import Field


class StageConfig(Config):
    full_refresh: bool = Field(
        default=False,
        description="Rebuild the stage from all its input instead of only what is new; the nightly rebuild sets it.",
    )
