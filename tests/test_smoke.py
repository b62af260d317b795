def test_home_page_opens_in_french_by_default(client, event):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="fr"' in html
    assert event.name in html
