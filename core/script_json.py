"""JSON that is safe inside an HTML <script> element."""

import json

# As Django's json_script: no "<", ">" or "&", so that no text can close the
# element (`</script>`) or open a comment, whatever a name or caption holds.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_json(data):
    """Compact JSON text of `data`, escaped for a <script> element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(
        ESCAPES
    )
