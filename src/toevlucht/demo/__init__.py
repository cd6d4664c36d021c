"""Fictional data: fake people (``fake``), the spring-2022 demo (``build``) and ``seed``'s
large backlogs. Everything here goes through the case services, as a caseworker would."""
