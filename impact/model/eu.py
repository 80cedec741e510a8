"""The sustainability indicators of the EU data-centre reporting scheme.

Commission Delegated Regulation (EU) 2024/1364 [1]_, Annex III, defines four
indicators from the key performance indicators operators report under Annex II:

- PUE = EDC / EIT (EN 50600-4-2), see :mod:`impact.model.energy`;
- WUE = WIN / EIT (EN 50600-4-9): total water input over IT energy, WIN being "all water volumes
  that enter the data centre boundary and are used in relation to the data centre functions"
  (Annex II point 1(h)), river or sea water drawn through the site's exchangers included;
- ERF = EREUSE / EDC (EN 50600-4-6): waste heat reused over total energy;
- REF = ERES-TOT / EDC (EN 50600-4-3): renewable energy over total energy.

With EREUSE = EDC x the share of the heat reused and ERES-TOT = EDC x the share under
renewable contracts, ERF and REF are these shares themselves (also at zero load, where the
ratios are 0 / 0): :mod:`impact.engine` uses them so.

Annex II point 1(k) also asks for the average waste heat temperature (TWH, °C): that of the
fluid which cools the IT equipment, where it enters the computer room's heat exchangers.

References
----------
.. [1] Commission Delegated Regulation (EU) 2024/1364 of 14 March 2024 on the first
   phase of the establishment of a common Union rating scheme for data centres,
   OJ L, 2024/1364, 17.5.2024, ELI: http://data.europa.eu/eli/reg_del/2024/1364/oj,
   Annex II (key performance indicators) and Annex III (sustainability indicators).
.. [2] ISO/IEC 30134-6:2021 (EN 50600-4-6), Energy Reuse Factor; ISO/IEC
   30134-3:2016 (EN 50600-4-3), Renewable Energy Factor; ISO/IEC 30134-9:2022
   (EN 50600-4-9), Water Usage Effectiveness.
"""

from __future__ import annotations


def water_per_it_kwh_l(water_m3, it_energy_mwh):
    """Water per kWh of IT energy, the form of the WUE (WIN / EIT) [1]_.

    Parameters
    ----------
    water_m3 : numeric
        Water over the year [m3].
    it_energy_mwh : numeric
        IT energy over the same year (EIT) [MWh].

    Returns
    -------
    numeric
        [L/kWh] = m3 x 1000 L/m3 / (MWh x 1000 kWh/MWh) = m3 / MWh.
    """
    return water_m3 / it_energy_mwh


def mixed_temperature_c(share_a, temperature_a_c, temperature_b_c):
    """Heat-weighted mean temperature of two streams carrying the heat away.

    Parameters
    ----------
    share_a : numeric
        Share of the heat carried by stream a [-], the rest by stream b.
    temperature_a_c, temperature_b_c : numeric
        Temperatures of the two streams [°C].

    Returns
    -------
    numeric
        share_a x T_a + (1 - share_a) x T_b [°C].
    """
    return share_a * temperature_a_c + (1.0 - share_a) * temperature_b_c
