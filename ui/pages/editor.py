"""Editor page (a file page so that AppTest can switch to it); ``?share=TOKEN`` shows a shared
version read-only instead."""

import streamlit as st

from ui import editor, share

if st.query_params.get("share"):
    share.render(st.query_params["share"])
else:
    editor.render()
