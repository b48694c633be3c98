"""gunicorn's access log without the secret links (investinartois.logging):
gunicorn.conf.py names this class."""

from gunicorn.glogging import Logger

from .logging import path_logged


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("U", "r"):  # the path, the request line
            atoms[name] = path_logged(atoms[name])
        return atoms
