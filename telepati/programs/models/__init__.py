"""Models of the priority programs: the UMKM registry and the program activity log."""

from telepati.programs.models.activity import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    BudgetSource,
    PhotoStage,
    Program,
)
from telepati.programs.models.umkm import (
    Business,
    GuidanceStatus,
    Product,
    Retailer,
    RetailerKind,
    Sector,
    Training,
    TrainingAttendance,
)

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityPhoto",
    "BudgetSource",
    "Business",
    "GuidanceStatus",
    "PhotoStage",
    "Product",
    "Program",
    "Retailer",
    "RetailerKind",
    "Sector",
    "Training",
    "TrainingAttendance",
]
