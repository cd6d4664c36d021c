"""Message catalogues of the simulator: one TOML file per language (see ``sim.text``)."""
