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


# ------------------------------------------------------------------------------ ground (ISO 9613-2 clause 7.3)


def ground_attenuation_hard_db(distance_m, source_height_m, receiver_height_m):
    """Ground attenuation over hard ground, ISO 9613-2 clause 7.3.1, eq. (9) and Table 3 with G = 0 [dB].

    With a ground factor G = 0 every octave band has ``As = Ar = -1.5 dB`` and ``Am = -3 q``, so the
    A-weighted result is the same as each band's (no spectrum needed): ``Agr = -3 - 3 q`` with
    ``q = 0`` when ``dp <= 30 (hs + hr)`` and ``q = 1 - 30 (hs + hr) / dp`` beyond. The value is negative:
    the reflection on hard ground raises the level.

    Parameters
    ----------
    distance_m : float or array
        Source to receiver distance projected on the ground, dp [m], positive.
    source_height_m, receiver_height_m : float or array
        Heights hs and hr above the ground [m], not negative.
    """
    dp = np.asarray(distance_m, dtype=float)
    reach = 30.0 * (np.asarray(source_height_m, dtype=float) + np.asarray(receiver_height_m, dtype=float))
    q = np.where(dp > reach, 1.0 - reach / np.maximum(dp, 1e-9), 0.0)
    return -3.0 - 3.0 * q


def ground_attenuation_alternative_db(distance_m, mean_height_m):
    """Ground attenuation over porous ground, ISO 9613-2 clause 7.3.2 (A-weighted levels), eq. (10) [dB].

    ``Agr = 4.8 - (2 hm / d) (17 + 300 / d)``, and 0 when that is negative.

    Parameters
    ----------
    distance_m : float or array
        Source to receiver distance d [m], positive.
    mean_height_m : float or array
        Mean height of the propagation path above the ground hm [m] (over flat ground: (hs + hr) / 2).
    """
    d = np.asarray(distance_m, dtype=float)
    return np.maximum(4.8 - (2.0 * np.asarray(mean_height_m, dtype=float) / d) * (17.0 + 300.0 / d), 0.0)


def ground_directivity_db(distance_m, source_height_m, receiver_height_m):
    """Directivity term D_Omega of the alternative method, ISO 9613-2 clause 7.3.2, eq. (11) [dB].

    ``D_Omega = 10 log10(1 + (dp^2 + (hs - hr)^2) / (dp^2 + (hs + hr)^2))``: the reflection on the ground,
    about 3 dB far from a low source; it is added to the directivity correction Dc.
    """
    dp2 = np.asarray(distance_m, dtype=float) ** 2
    hs, hr = np.asarray(source_height_m, dtype=float), np.asarray(receiver_height_m, dtype=float)
    return 10.0 * np.log10(1.0 + (dp2 + (hs - hr) ** 2) / (dp2 + (hs + hr) ** 2))


def ground_effect_db(distance_m, source_height_m, receiver_height_m, porous):
    """Ground attenuation Agr [dB]: hard ground (``porous`` false or 0) by the general method, Table 3
    with G = 0 (negative: the reflection raises the level); porous ground (``porous`` true or 1) by the
    alternative method, eq. (10), whose D_Omega is :func:`ground_directivity_correction_db`.
    """
    hs, hr = np.asarray(source_height_m, dtype=float), np.asarray(receiver_height_m, dtype=float)
    hard = ground_attenuation_hard_db(distance_m, hs, hr)
    soft = ground_attenuation_alternative_db(distance_m, (hs + hr) / 2.0)
    return np.where(np.asarray(porous, dtype=float) > 0.5, soft, hard)


def ground_directivity_correction_db(distance_m, source_height_m, receiver_height_m, porous):
    """The part of Dc that goes with the ground [dB]: D_Omega (eq. 11) with the alternative method
    (porous ground), 0 with the general method (hard ground, whose reflection is in Agr)."""
    d_omega = ground_directivity_db(distance_m, source_height_m, receiver_height_m)
    return np.where(np.asarray(porous, dtype=float) > 0.5, d_omega, 0.0)


# ------------------------------------------------------------------------------ barrier (ISO 9613-2 clause 7.4)


def barrier_path_difference_m(distance_m, source_height_m, receiver_height_m, barrier_distance_m, barrier_height_m):
    """Path difference z of a thin screen between source and receiver, ISO 9613-2 clause 7.4 [m].

    In the vertical plane through source and receiver: the path over the screen's top edge
    ``dss + dsr`` minus the direct path ``d``; negative when the top is below the line of sight.

    Parameters
    ----------
    distance_m : float or array
        Horizontal source to receiver distance [m].
    source_height_m, receiver_height_m : float or array
        Heights above the ground [m].
    barrier_distance_m : float or array
        Horizontal distance from the source to the screen [m], between 0 and ``distance_m``.
    barrier_height_m : float or array
        Height of the screen's top edge above the ground [m].

    Returns
    -------
    tuple of arrays
        ``(z, dss, dsr, d)`` [m]: path difference, source to edge, edge to receiver, direct distance.
    """
    d_h = np.asarray(distance_m, dtype=float)
    hs, hr = np.asarray(source_height_m, dtype=float), np.asarray(receiver_height_m, dtype=float)
    xb, hb = np.asarray(barrier_distance_m, dtype=float), np.asarray(barrier_height_m, dtype=float)
    dss = np.hypot(xb, hb - hs)
    dsr = np.hypot(d_h - xb, hb - hr)
    d = np.hypot(d_h, hs - hr)
    # sign: the edge above the line of sight gives a positive path difference
    line = hs + (hr - hs) * xb / d_h
    z = np.where(hb > line, dss + dsr - d, -(dss + dsr - d))
    return z, dss, dsr, d


def barrier_kmet(z_m, dss_m, dsr_m, d_m):
    """Meteorological correction of a screen, ISO 9613-2 eq. (18): ``exp(-sqrt(dss dsr d / (2 z)) / 2000)``
    for z > 0, 1 otherwise [-]."""
    z = np.asarray(z_m, dtype=float)
    safe = np.maximum(z, 1e-12)
    return np.where(z > 0, np.exp(-np.sqrt(dss_m * dsr_m * d_m / (2.0 * safe)) / 2000.0), 1.0)


def barrier_attenuation_db(z_m, wavelength_m, kmet, c2=20.0, c3=1.0, cap_db=20.0):
    """Screening attenuation Dz of single diffraction, ISO 9613-2 eq. (14) [dB].

    ``Dz = 10 log10(3 + (C2 / lambda) C3 z Kmet)``, at most ``cap_db`` (20 dB for single diffraction);
    0 when the screen does not hide the source (z <= 0). C2 = 20 counts the ground's image sources,
    C3 = 1 a single (thin) edge (eq. 15).

    Parameters
    ----------
    z_m : float or array
        Path difference [m] (:func:`barrier_path_difference_m`).
    wavelength_m : float or array
        Wavelength at the band's nominal midband frequency [m].
    kmet : float or array
        Meteorological correction (:func:`barrier_kmet`).
    """
    z = np.asarray(z_m, dtype=float)
    dz = 10.0 * np.log10(3.0 + (c2 / wavelength_m) * c3 * np.maximum(z, 0.0) * kmet)
    return np.where(z > 0, np.minimum(dz, cap_db), 0.0)


def screened_ground_db(ground_db, barrier_db):
    """Ground and screen together, ISO 9613-2 eq. (12) [dB]: ``Abar = Dz - Agr`` when positive, so
    ``Agr + Abar = max(Dz, Agr)`` (the screen's diffraction replaces the ground effect it hides)."""
    return np.maximum(barrier_db, ground_db)


def screen_db(distance_m, source_height_m, receiver_height_m, barrier_distance_m, barrier_height_m, wavelength_m):
    """Dz of a declared thin screen on one path [dB]; 0 when the screen stands beyond the receiver
    (``barrier_distance_m >= distance_m``) or below the line of sight."""
    d_h = np.asarray(distance_m, dtype=float)
    xb = np.minimum(np.asarray(barrier_distance_m, dtype=float), d_h * 0.999999)
    z, dss, dsr, d = barrier_path_difference_m(d_h, source_height_m, receiver_height_m, xb, barrier_height_m)
    dz = barrier_attenuation_db(z, wavelength_m, barrier_kmet(z, dss, dsr, d))
    return np.where(np.asarray(barrier_distance_m, dtype=float) < d_h, dz, 0.0)
