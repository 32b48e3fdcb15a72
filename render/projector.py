"""The Present page's projector theme: large type and high contrast for the back of a classroom."""

PRESENT_CSS = """
<style>
[data-testid="stMain"],[data-testid="stHeader"]{background:#101418;color:#f4f4f0}
[data-testid="stMain"] h1,[data-testid="stMain"] h2,[data-testid="stMain"] h3,[data-testid="stMain"] label,
[data-testid="stMain"] p{color:#f4f4f0}
[data-testid="stMain"] .stButton button{background:#262e36;color:#ffffff;border:2px solid #ffd166;font-size:1.2rem}
[data-testid="stMain"] .stButton button:disabled{background:#161b20;color:#6b737b;border-color:#3a424a}
[data-testid="stMain"] .stButton button p{color:inherit;font-size:1.2rem}
.atlas-progress{font-size:2rem;font-weight:800;color:#ffd166;text-align:right}
.atlas-present .atlas-panel{font-size:1.5rem;line-height:1.45;color:#f4f4f0}
.atlas-present .atlas-title{font-size:2.6rem;color:#ffffff}
.atlas-present .atlas-subtitle,.atlas-present .atlas-meta{color:#d8d8d0;font-size:1.5rem}
.atlas-present .atlas-excerpt{background:#1e252c;color:#ffffff;border-left:8px solid #ffd166;font-size:1.65rem}
.atlas-present .atlas-gloss{color:#e8e8e0;font-size:1.3rem}
.atlas-present .atlas-gloss-label{color:#ffd166}
.atlas-present .atlas-cite{color:#c8c8c0;font-size:1rem}
.atlas-present .atlas-cite a{color:#9ad1ff}
.atlas-present .atlas-badge{font-size:1.1rem}
.atlas-present .atlas-claim-col{background:#1a2026;border-color:#ffd166}
.atlas-present .atlas-summary{font-size:1.3rem;color:#e0e0d8}
.atlas-present .atlas-support{background:#1a2633;color:#e8f1fb;font-size:1.2rem}
.atlas-present .atlas-support-weak{background:#2e2614;color:#ffe6a8}
.atlas-present .atlas-notes{background:#1a1f24;border-color:#9aa7b4;color:#f0f0ea}
.atlas-present .atlas-notes-head,.atlas-present .atlas-note,.atlas-present .atlas-note-ref{color:#e8e8e0}
.atlas-present .atlas-where{color:#d8d8d0}
</style>
"""
