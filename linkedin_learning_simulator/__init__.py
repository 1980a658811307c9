"""A local simulator of the LinkedIn Learning Activity Reports API (OAuth + learningActivityReports)."""
from .errors import ApiError
from .settings import SimulatorSettings
from .simulator import Simulator

__all__ = ["Simulator", "SimulatorSettings", "ApiError"]
