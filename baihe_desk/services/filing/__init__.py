"""立案 — intake (收件登记), complaint review (立案审查), procedure, litigation fees (诉讼费), service address (送达地址), 案由."""
