"""Keras Graph Builder: the Streamlit entry point (page config and routing only).

Run with ``streamlit run app.py``; ``?template=NAME`` opens a template in the editor, ``?doc=ID``
a model of the workspace, ``?share=TOKEN`` a read-only shared version.
TensorFlow is not imported here: the editor works from the pure-Python core in ``builder/``.
"""

import streamlit as st

st.set_page_config(page_title="Keras Graph Builder", page_icon=":material/account_tree:", layout="wide")

page = st.navigation(
    [
        st.Page("ui/pages/editor.py", title="Editor", icon=":material/draw:", default=True),
        st.Page("ui/pages/templates.py", title="Templates", icon=":material/dashboard:", url_path="templates"),
        st.Page("ui/pages/models.py", title="Models", icon=":material/folder_open:", url_path="models"),
    ],
    position="top",
)
page.run()
