"""Read and write ScenarioWizard 4 projects (.scw) and solution lists (.sl).

ScenarioWizard (W. Weimer-Jehle, ZIRIUS, University of Stuttgart) is the reference program
for cross-impact balance (CIB) analysis. Both of its files are Windows "ANSI" text with CRLF
line ends; LF is accepted too. Koers reads and writes them as Windows-1252, the superset of
Latin-1 that Western Windows writes (the two differ only in 0x80-0x9F, where Windows-1252
has the euro sign and the curly quotes that texts pasted from a word processor carry); the
five bytes Windows-1252 leaves undefined map to their Latin-1 characters, so every file
reads and writes back byte for byte. A project reads::

    $ ScenarioWizard 4.0          format line
    My project                    title
    &Descriptor                   one '&' line per descriptor ...
     -Variant                     ... followed by one ' -' line per variant
    #
    &D                            short names: '&' + descriptor short name,
     V                            then ' ' + variant short name per variant
    #
    #                             (an empty section, kept verbatim if not empty)
    FFFFFF                        one RGB colour per variant
    #
    #                             (an empty section, kept verbatim if not empty)
     0 , 2 ,-1 , ...              the square matrix, one row per variant
    #
    # 0-0                         text blocks: a '# ' header, then a quoted text:
    "..."                         the project, then one per descriptor ('# D'),
    # D                           then one per ordered pair of descriptors
    "..."                         ('# D -> E', row by row)
    #
    #

A solution list holds ``$ ScenarioWizard 3.0``, ``Solution set``, the number of records, a
blank line, then one record per scenario: ``" 2 3 2",4,0,0,15,""``.

Judgements in a project are whole numbers with ``|value| <= bound`` (99 by default).
ScenarioWizard documents no limit: its factor multiplication and ensemble standardisation
make values beyond the usual -3..+3 (the published models reach 15), and a bound of 99 keeps
its two-digit cell layout while catching typing slips such as 300.
"""

from koers.io.scenariowizard.project import SCW_BOUND, ScenarioWizardProject
from koers.io.scenariowizard.project_reader import read_scw
from koers.io.scenariowizard.project_writer import write_scw
from koers.io.scenariowizard.solutions import SolutionRecord, read_sl, write_sl

__all__ = [
    "SCW_BOUND",
    "ScenarioWizardProject",
    "SolutionRecord",
    "read_scw",
    "read_sl",
    "write_scw",
    "write_sl",
]
