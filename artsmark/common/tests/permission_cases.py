from tests.matrix import LOGGED_IN, LOGIN, PUBLIC, Case, statuses

CASES = {
    "landing": Case(expect=statuses(302, anonymous=200)),  # logged-in users go home
    "home": Case(expect=LOGGED_IN),
    "accessibility": Case(expect=PUBLIC),
    "favicon": Case(expect=PUBLIC),
    # A sample of the third-party URL sets.
    "admin:index": Case(expect=statuses(302, admin=200)),
    "account_login": Case(expect=statuses(302, anonymous=200)),
    "account_change_password": Case(expect=statuses(200, anonymous=LOGIN)),
}
