"""Problem details now live in coworking.problems; kept so older imports keep working."""
from coworking.problems import PROBLEM_TYPE_BASE, from_domain_error, problem, title_for

__all__ = ["PROBLEM_TYPE_BASE", "from_domain_error", "problem", "title_for"]
