"""Start the portal on http://127.0.0.1:5000 with demo data on a new database; ``--province`` adds the
demo province (Guizhou) beside the demo city."""
import os
import sys

from app import create_app
from app.cli import prepare_database

os.environ.setdefault("SESSION_COOKIE_SECURE", "0")  # served by plain HTTP on this machine
app = create_app()

if __name__ == "__main__":
    with app.app_context():
        logins = prepare_database(with_demo=True, with_province="--province" in sys.argv[1:])
    port = int(os.environ.get("PORT", 5000))
    print(f"\n职业健康协管平台 / Occupational-health coordination portal: http://127.0.0.1:{port}")
    print("Demo logins (role, username, password):")
    for role, username, password in logins:
        print(f"  {role:<16} {username:<16} {password}")
    app.run(host="127.0.0.1", port=port, debug=False)
