"""Noise of the plant at a receptor: point sources attenuated outdoors (ISO 9613-2).

Pure functions, levels in dB(A). The attenuation follows ISO 9613-2:1996,
*Acoustics - Attenuation of sound during propagation outdoors - Part 2: General
method of calculation*: ``L = Lw + Dc - (Adiv + Aatm + Agr + Abar)`` (eq. 3 and 4),
``Adiv = 20 log10(d / 1 m) + 11`` (eq. 7), ``Aatm = alpha d / 1000`` (eq. 8).
The emergence is defined by the arrêté du 23 janvier 1997 (NOR ENVP9760055A), article 2:
ambient level (with the installation) minus residual level (without it).
"""

from __future__ import annotations

import numpy as np


def level_sum_db(*levels):
    """Energetic sum of sound levels.

    Parameters
    ----------
    levels : float or array
        Levels [dB].

    Returns
    -------
    float or array
        ``10 log10(sum 10^(L/10))`` [dB].
    """
    return 10.0 * np.log10(sum(np.power(10.0, np.asarray(lv, dtype=float) / 10.0) for lv in levels))


def sound_power_of_units_db(unit_sound_power_db, count):
    """Sound power of ``count`` identical incoherent sources [dB]: ``Lw + 10 log10(count)``."""
    return unit_sound_power_db + 10.0 * np.log10(count)


def geometric_divergence_db(distance_m):
    """Geometric divergence of a point source, ISO 9613-2 eq. (7) [dB]: ``20 log10(d / 1 m) + 11``.

    Parameters
    ----------
    distance_m : float or array
        Distance from the source to the receptor [m], positive.
    """
    return 20.0 * np.log10(distance_m) + 11.0


def air_absorption_db(distance_m, alpha_db_per_km):
    """Atmospheric absorption, ISO 9613-2 eq. (8) [dB]: ``alpha d / 1000``.

    Parameters
    ----------
    distance_m : float or array
        Distance [m].
    alpha_db_per_km : float or array
        Attenuation coefficient [dB/km] (ISO 9613-2 Table 2).
    """
    return alpha_db_per_km * distance_m / 1000.0


def level_at_receptor_dba(
    sound_power_dba, distance_m, alpha_db_per_km, ground_db=0.0, barrier_db=0.0, directivity_db=0.0
):
    """Sound pressure level at a receptor from a point source, ISO 9613-2 eq. (3)-(4) [dB(A)].

    Parameters
    ----------
    sound_power_dba : float or array
        A-weighted sound power level of the source [dB(A) re 1 pW].
    distance_m : float or array
        Source to receptor distance [m].
    alpha_db_per_km : float or array
        Air absorption coefficient [dB/km].
    ground_db, barrier_db : float or array
        Ground and barrier attenuations [dB] (stated assumptions).
    directivity_db : float or array
        Directivity correction Dc [dB].
    """
    attenuation = (
        geometric_divergence_db(distance_m) + air_absorption_db(distance_m, alpha_db_per_km) + ground_db + barrier_db
    )
    return sound_power_dba + directivity_db - attenuation


def emergence_db(residual_dba, source_dba):
    """Emergence (arrêté du 23 janvier 1997, art. 2) [dB(A)]: ambient with the source minus residual.

    Parameters
    ----------
    residual_dba : float or array
        Residual level, without the installation [dB(A)].
    source_dba : float or array
        Level of the installation alone at the receptor [dB(A)].
    """
    return level_sum_db(residual_dba, source_dba) - residual_dba


def emergence_limit_db(ambient_dba, floor_dba, band_dba, limit_low_band_db, limit_high_band_db):
    """Admissible emergence for an ambient level (arrêté du 23 janvier 1997, art. 3) [dB(A)].

    Parameters
    ----------
    ambient_dba : float
        Ambient level with the installation [dB(A)].
    floor_dba : float
        Level at or below which no emergence limit applies [dB(A)] (35).
    band_dba : float
        Level above which the stricter limit applies [dB(A)] (45).
    limit_low_band_db, limit_high_band_db : float
        Admissible emergence in the band (floor, band] and above band [dB(A)].

    Returns
    -------
    float or None
        The admissible emergence, None at or below ``floor_dba`` (no emergence limit).
    """
    if ambient_dba <= floor_dba:
        return None
    return limit_low_band_db if ambient_dba <= band_dba else limit_high_band_db
