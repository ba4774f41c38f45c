"""The only Qt package. It calls services and receives plain rows; it never touches models or sessions."""
