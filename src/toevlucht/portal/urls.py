"""URLs of the applicant's portal (mounted at ``/portal/``) and its staff pages
(``/portal/staff/``)."""

from django.urls import path

from toevlucht.portal.views import account, auth, case, mandates, staff

app_name = "portal"
urlpatterns = [
    path("", case.home, name="home"),
    path("sign-in/", auth.sign_in, name="login"),
    path("sign-in/second-step/", auth.verify, name="verify"),
    path("sign-out/", auth.sign_out, name="logout"),
    path("invitation/", auth.invitation_code, name="invitation"),
    path("invitation/password/", auth.invitation_password, name="invitation_password"),
    path("language/", account.language, name="language"),
    path("cases/<str:reference>/", case.case, name="case"),
    path("cases/<str:reference>/by-when/", case.deadlines, name="deadlines"),
    path("cases/<str:reference>/measures/", case.measures, name="measures"),
    path("cases/<str:reference>/when-late/", case.late, name="late"),
    path("cases/<str:reference>/appointments/", case.appointments, name="appointments"),
    path("my-data/", case.my_data, name="my_data"),
    path("my-data/download/", case.my_data_download, name="my_data_download"),
    path("access/", mandates.access, name="access"),
    path("access/<int:pk>/agree/", mandates.access_confirm, name="access_confirm"),
    path("access/<int:pk>/end/", mandates.access_end, name="access_end"),
    path("account/", account.account, name="account"),
    path("account/password/", account.password_change, name="password"),
    path("account/second-step/", account.second_factor, name="second_factor"),
    path("account/second-step/remove/", account.second_factor_remove, name="second_factor_remove"),
    path("staff/cases/<str:reference>/invitation/", staff.invitation, name="staff_invitation"),
    path("staff/invitations/<int:pk>/letter/", staff.letter, name="staff_letter"),
]
