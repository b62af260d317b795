from flask import Blueprint

#: No routes: it only lends its templates (mail/*.txt) to the app.
bp = Blueprint("mail", __name__, template_folder="templates")
