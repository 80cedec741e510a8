"""Water: on site (WUE), once-through river or sea water, off site (EWIF).

References
----------
.. [1] The Green Grid, "Water Usage Effectiveness (WUE): a Green Grid data
   center sustainability metric", White Paper 35, 2011; ISO/IEC 30134-9:2022.
   WUE = site water [L] / IT energy [kWh].
.. [2] Li, P., Yang, J., Islam, M. A., Ren, S., "Making AI less thirsty",
   arXiv:2304.03271, 2023: off-site water = energy x EWIF.
"""

from __future__ import annotations


def water_onsite_m3(it_energy_mwh, wue_l_per_kwh):
    """On-site water from the WUE, which is per kWh of IT energy [1]_.

    Parameters
    ----------
    it_energy_mwh : numeric
        IT energy [MWh].
    wue_l_per_kwh : numeric
        Water usage effectiveness [L/kWh of IT energy].

    Returns
    -------
    numeric
        Water [m3] = MWh x 1000 kWh/MWh x L/kWh / 1000 L/m3.
    """
    return it_energy_mwh * wue_l_per_kwh


def water_offsite_m3(energy_mwh, ewif_l_per_kwh):
    """Water consumed by the power plants that make the electricity [2]_.

    Parameters
    ----------
    energy_mwh : numeric
        Electricity drawn from the grid [MWh].
    ewif_l_per_kwh : numeric
        Energy water intensity factor of the grid [L/kWh].

    Returns
    -------
    numeric
        Water [m3].
    """
    return energy_mwh * ewif_l_per_kwh


def once_through_m3(flow_m3_per_h, hours):
    """Volume of river or sea water pumped through the heat exchangers.

    Parameters
    ----------
    flow_m3_per_h : numeric
        Flow drawn [m3/h].
    hours : numeric
        Hours of pumping in the year [h].

    Returns
    -------
    numeric
        Volume [m3].
    """
    return flow_m3_per_h * hours
